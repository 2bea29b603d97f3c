/** "in 45 seconds", "in 3 minutes": when a refused client may try again, for the messages. */
export function retryPhrase(seconds: number): string {
  if (seconds < 60) return `in ${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `in ${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** The 429 answer of the Hub's own routes: the one error shape, with when to retry in the message and header. */
export function rateLimitedResponse(message: string, retryAfterSeconds: number): Response {
  return Response.json(
    { error: { code: 'RATE_LIMITED', message, details: { retryAfterSeconds } } },
    { status: 429, headers: { 'retry-after': String(retryAfterSeconds) } },
  );
}
