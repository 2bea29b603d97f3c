import type { z } from 'zod';
import { AppError, toErrorResponse } from './app-error';
import { clientAddressOf } from './client-address';
import type { TLogger } from './logger';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id';

export interface THandlerContext {
  requestId: string;
  log: TLogger;
}

/**
 * Wraps a route handler: assigns a request id, logs one JSON line per request, and maps every failure to
 * `{ error: { code, message } }` with the right status. Handlers stay thin: parse, authorize, call lib, respond.
 */
export function createApiHandler(logger: TLogger) {
  return function apiHandler<TParams = unknown>(
    handler: (request: Request, context: THandlerContext & { params: TParams }) => Promise<Response>,
  ) {
    return async (request: Request, routeContext: { params: Promise<TParams> }): Promise<Response> => {
      const requestId = requestIdFrom(request.headers);
      const log = logger.child({ requestId });
      const started = performance.now();
      const url = new URL(request.url);
      let response: Response;
      try {
        response = await handler(request, { requestId, log, params: await routeContext.params });
      } catch (error) {
        const { status, body } = toErrorResponse(error);
        if (status >= 500) log.error({ err: error, path: url.pathname }, 'request failed');
        response = Response.json(body, { status });
      }
      response = withHeader(response, REQUEST_ID_HEADER, requestId);
      // API answers are per user (or about to be): no browser or shared cache may keep one unless the route says so.
      if (!response.headers.has('cache-control'))
        response = withHeader(response, 'cache-control', 'no-store');
      log.info(
        {
          method: request.method,
          path: url.pathname,
          // As the server resolved it under TRUSTED_PROXY_HOPS, never a header the client wrote.
          address: clientAddressOf(request.headers) ?? 'unknown',
          status: response.status,
          ms: Math.round(performance.now() - started),
        },
        'request',
      );
      return response;
    };
  };
}

/** Response.redirect() and fetch() responses have immutable headers: copy those before adding one. */
function withHeader(response: Response, name: string, value: string): Response {
  try {
    response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    copy.headers.set(name, value);
    return copy;
  }
}

/** Parses a JSON body against a schema; bad input becomes a 400 that says which field and why. */
export async function parseJsonBody<TSchema extends z.ZodType>(
  request: Request,
  schema: TSchema,
): Promise<z.infer<TSchema>> {
  let raw: unknown;
  try {
    raw = await request.json();
  } catch {
    throw new AppError('BAD_REQUEST', 'The request body must be valid JSON.');
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.join('.');
    throw new AppError(
      'BAD_REQUEST',
      field ? `${field}: ${issue?.message}` : (issue?.message ?? 'Invalid input.'),
      {
        details: { issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
      },
    );
  }
  return result.data;
}
