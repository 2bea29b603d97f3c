/**
 * Browser-side POST of JSON to one of the Hub's routes. A failure becomes an Error carrying the route's own
 * `{ error: { message } }`, or `fallback` when the answer says nothing useful (network down, not JSON).
 */
export async function postJson<T = Record<string, unknown>>(
  path: string,
  body: unknown,
  fallback: string,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    throw new Error('We could not reach the server. Check your connection and try again.');
  }
  const parsed = await response.json().catch(() => null);
  if (!response.ok) throw new Error(parsed?.error?.message ?? fallback);
  return (parsed ?? {}) as T;
}
