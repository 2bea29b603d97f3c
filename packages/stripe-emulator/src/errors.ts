/** An error the API answers with Stripe's error body and HTTP status, so the SDK raises the matching class. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
    readonly param?: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): { error: Record<string, string> } {
    const error: Record<string, string> = { type: this.type, message: this.message };
    if (this.code) {
      error.code = this.code;
      error.doc_url = `https://stripe.com/docs/error-codes/${this.code.replace(/_/g, '-')}`;
    }
    if (this.param) error.param = this.param;
    return { error: { ...error, ...this.extra } };
  }
}

export function notFound(resource: string, id: string, param = 'id'): ApiError {
  return new ApiError(
    404,
    'invalid_request_error',
    `No such ${resource}: '${id}'`,
    'resource_missing',
    param,
  );
}

export function missingParam(param: string): ApiError {
  return new ApiError(
    400,
    'invalid_request_error',
    `Missing required param: ${param}.`,
    'parameter_missing',
    param,
  );
}

/**
 * A parameter with a value Stripe refuses. Stripe's own codes are specific (`parameter_invalid_integer`,
 * `parameter_invalid_empty`, …); where none fits, its answer carries the message and `param` with no `code`.
 */
export function invalidParam(param: string, message: string, code?: string): ApiError {
  return new ApiError(400, 'invalid_request_error', message, code, param);
}

export function invalidRequest(message: string, param?: string): ApiError {
  return new ApiError(400, 'invalid_request_error', message, undefined, param);
}

/** A declined card (402). `extra` carries what Stripe adds, such as the failed `charge`. */
export function cardError(
  message: string,
  code: string,
  declineCode?: string,
  param?: string,
  extra: Record<string, string> = {},
): ApiError {
  return new ApiError(402, 'card_error', message, code, param, {
    ...(declineCode ? { decline_code: declineCode } : {}),
    ...extra,
  });
}
