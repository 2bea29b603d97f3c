import { ZodError } from 'zod';

/** The one error type of both apps: a code that maps to an HTTP status and a message safe to show a user. */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
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

/** Network-level failures talking to PostgreSQL: the dependency is away, not our bug. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (/^08/.test(code) || code === '57P01' || code === '57P03')) return true;
  if (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code))
    return true;
  const message = error instanceof Error ? error.message : '';
  return /timeout exceeded when trying to connect|Connection terminated/i.test(message);
}

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
