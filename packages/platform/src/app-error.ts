import { ZodError } from 'zod';

/** The one error type of both apps: a code that maps to an HTTP status and a message safe to show a user. */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  /** A payment was declined (Stripe's 402 card error): nothing was bought, the message says why. */
  PAYMENT_REQUIRED: 402,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  /** Stored data failed verification (a tampered or damaged encrypted document). */
  INTEGRITY_FAILED: 500,
  UNAVAILABLE: 503,
} as const;

export type TErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly code: TErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: TErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export interface TErrorBody {
  error: { code: TErrorCode; message: string; details?: Record<string, unknown> };
}

/**
 * The error and every error it wraps: `cause` chains (Drizzle wraps the pg driver's error in DrizzleQueryError,
 * with the SQLSTATE on `cause`) and AggregateError's `errors` (a refused connection to `localhost` tries ::1 and
 * 127.0.0.1 and reports both). Bounded, and safe against cycles.
 */
function* errorChain(error: unknown): Generator<unknown> {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < 20) {
    const current = queue.shift();
    if (current === null || current === undefined || seen.has(current)) continue;
    seen.add(current);
    yield current;
    if (typeof current !== 'object') continue;
    const { cause, errors } = current as { cause?: unknown; errors?: unknown };
    queue.push(cause);
    if (Array.isArray(errors)) queue.push(...errors);
  }
}

/**
 * The PostgreSQL SQLSTATE (e.g. `23505`) of an error or of any error it wraps, else null. Only errors that came
 * from the server count (they carry `severity`), so a Node error code such as `EPIPE` is never taken for one.
 */
export function databaseErrorCode(error: unknown): string | null {
  for (const link of errorChain(error)) {
    const { code, severity } = link as { code?: unknown; severity?: unknown };
    if (typeof code === 'string' && typeof severity === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return null;
}

/** A unique constraint refused the row (SQLSTATE 23505), however deeply the driver's error is wrapped. */
export function isUniqueViolation(error: unknown): boolean {
  return databaseErrorCode(error) === '23505';
}

const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);

/**
 * Network-level failures talking to PostgreSQL, anywhere in the wrapped chain: the dependency is away, not our
 * bug. Connection exceptions (08xxx), the server shutting down or terminating us (57P01–57P03), refused or
 * reset sockets, and the pool's own connect timeout.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const link of errorChain(error)) {
    const code = (link as { code?: unknown } | null)?.code;
    if (typeof code === 'string') {
      if (/^08[0-9A-Z]{3}$/.test(code) || code === '57P01' || code === '57P02' || code === '57P03')
        return true;
      if (UNAVAILABLE_NODE_CODES.has(code)) return true;
    }
    const message = link instanceof Error ? link.message : '';
    if (
      /timeout exceeded when trying to connect|Connection terminated|encountered a connection error and is not queryable/i.test(
        message,
      )
    )
      return true;
  }
  return false;
}

/** What a user sees when Stripe does not answer in time: the 503 of every payment page and route. */
export const PAYMENTS_UNAVAILABLE_MESSAGE =
  'Payments are temporarily unavailable. Please try again in a few minutes.';

/**
 * Stripe is away or slow, not our bug: the SDK gave up on the connection or its timeout
 * (`StripeConnectionError`), or Stripe answered 5xx or 429 after the SDK's retries. Recognised by the SDK's
 * error `type`, so this package needs no Stripe dependency.
 */
export function isPaymentProviderUnavailable(error: unknown): boolean {
  for (const link of errorChain(error)) {
    const { type, statusCode } = link as { type?: unknown; statusCode?: unknown };
    if (type === 'StripeConnectionError' || type === 'StripeRateLimitError') return true;
    if (type === 'StripeAPIError' && typeof statusCode === 'number' && statusCode >= 500) return true;
  }
  return false;
}

/**
 * SQLSTATEs that can only come from the bytes a caller sent: NUL or bytes that are not UTF-8 in a text value
 * (22021) and characters the database encoding cannot hold (22P05). Our own code never produces them.
 * Deliberately NOT here: 22P02 (invalid text representation), 22001 (value too long), 23503 (foreign key) and
 * 23514 (check). With zod at every boundary those mean our validation let something through or our own code
 * wrote a bad row — a bug to see in the logs as a 500, not a 400 that blames the caller. A route that knows a
 * constraint guards the caller's own input maps it itself, with `databaseErrorCode`.
 */
const CALLER_INPUT_CODES = new Set(['22021', '22P05']);

/** Turns any thrown value into a status and a body that never leaks internals. */
export function toErrorResponse(error: unknown): { status: number; body: TErrorBody } {
  if (error instanceof AppError) {
    return {
      status: error.status,
      body: {
        error: {
          code: error.code,
          message: error.message,
          ...(error.details ? { details: error.details } : {}),
        },
      },
    };
  }
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    return {
      status: 400,
      body: { error: { code: 'BAD_REQUEST', message: issue?.message ?? 'Invalid input.' } },
    };
  }
  const databaseCode = databaseErrorCode(error);
  if (databaseCode === '23505') {
    // A route with a friendlier sentence (a taken vault name) catches it first with isUniqueViolation.
    return {
      status: 409,
      body: { error: { code: 'CONFLICT', message: 'That already exists. Refresh the page and try again.' } },
    };
  }
  if (databaseCode && CALLER_INPUT_CODES.has(databaseCode)) {
    return {
      status: 400,
      body: {
        error: {
          code: 'BAD_REQUEST',
          message: 'The request contains characters that cannot be stored (such as NUL or invalid UTF-8).',
        },
      },
    };
  }
  if (isPaymentProviderUnavailable(error)) {
    return { status: 503, body: { error: { code: 'UNAVAILABLE', message: PAYMENTS_UNAVAILABLE_MESSAGE } } };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      status: 503,
      body: {
        error: {
          code: 'UNAVAILABLE',
          message: 'The service is temporarily unavailable. Please try again shortly.',
        },
      },
    };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'Something went wrong on our side.' } } };
}
