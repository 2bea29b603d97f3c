/** What every failed call says when the server could not be reached at all. */
export const NETWORK_ERROR_MESSAGE = 'We could not reach the server. Check your connection and try again.';

/** A route's refusal: its message, plus the HTTP status and the AppError code for callers that act on them. */
export class FetchJsonError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
    /** The route's `error.details`, when it gave any (e.g. `{ code: 'SEAT_REQUIRED', addSeatUrl }`). */
    readonly details: Record<string, unknown> | null = null,
  ) {
    super(message);
    this.name = 'FetchJsonError';
  }
}

export interface TFetchJsonOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON (`application/json`, the only body type the JSON routes take). */
  body?: unknown;
  /** Shown when a failed answer says nothing useful (not JSON, no `error.message`). */
  fallback?: string;
}

/**
 * The browser side of both apps' JSON routes, in one place: sends `body` as JSON, returns the parsed answer
 * (`undefined` for 204), and turns a failure into an Error carrying the route's own `{ error: { message } }`, the
 * caller's `fallback`, or the one network message (a route's answer as a FetchJsonError, with its status and code). Browser-safe: no Node.js imports.
 */
export async function fetchJson<T = unknown>(path: string, options: TFetchJsonOptions = {}): Promise<T> {
  const { method = options.body === undefined ? 'GET' : 'POST', body, fallback } = options;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new Error(NETWORK_ERROR_MESSAGE);
  }
  if (response.status === 204) return undefined as T;
  const parsed = await response.json().catch(() => null);
  if (!response.ok) {
    const message = parsed?.error?.message;
    const code = parsed?.error?.code;
    const details = parsed?.error?.details;
    throw new FetchJsonError(
      typeof message === 'string' && message
        ? message
        : (fallback ?? `Something went wrong (HTTP ${response.status}).`),
      response.status,
      typeof code === 'string' ? code : null,
      details && typeof details === 'object' && !Array.isArray(details) ? details : null,
    );
  }
  return parsed as T;
}
