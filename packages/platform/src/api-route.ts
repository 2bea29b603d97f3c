import type { z } from 'zod';
import { createApiHandler, parseJsonBody, type THandlerContext } from './api-handler';
import { AppError } from './app-error';
import type { TLogger } from './logger';
import { assertAllowedOrigin, isStateChanging } from './request-origin';
import { createNonce, securityHeaders, type TSecurityPolicy } from './security-headers';

/**
 * How a route takes its body: a zod schema (JSON, parsed and validated by the wrapper), `'form'` (an HTML form
 * posts here; the route reads it, if at all), `'raw'` (the route streams the body itself, any type), or nothing
 * (no body; a JSON one is passed through untouched, e.g. to better-auth).
 */
type TBodyOption = z.ZodType | 'form' | 'raw' | undefined;
type TAuthOption = boolean | 'optional';
type TParsed<T> = T extends z.ZodType ? z.infer<T> : undefined;
type TSessionFor<TAuth extends TAuthOption, TSession> = TAuth extends false
  ? null
  : TAuth extends 'optional'
    ? TSession | null
    : TSession;

export interface TApiRouteOptions<
  TAuth extends TAuthOption,
  TBody extends TBodyOption,
  TQuery extends z.ZodType | undefined,
  TParams extends z.ZodType | undefined,
> {
  /** `true` (the default): 401 without a session. `'optional'`: the session when there is one. */
  auth?: TAuth;
  body?: TBody;
  query?: TQuery;
  params?: TParams;
  /** Other origins whose pages may post here; only SVD's hand-off `/login` has one (the Hub). */
  allowOrigins?: () => readonly string[];
  /**
   * The route answers HTML and proxy.ts's matcher leaves it out (the hand-off's `/launch`, `/login`, `/logout`):
   * every answer gets the app's security headers with a fresh nonce here instead, which the handler receives as
   * `nonce` for its script. Next.js's proxy step costs a route about a third of its throughput.
   */
  html?: boolean;
}

export interface TApiRouteContext<TSession, TBody, TQuery, TParams> extends THandlerContext {
  request: Request;
  session: TSession;
  body: TBody;
  query: TQuery;
  params: TParams;
  /** This request's script nonce, named in its Content-Security-Policy: set for `html` routes only. */
  nonce: string | null;
}

type TRouteHandler = (
  request: Request,
  routeContext: { params: Promise<Record<string, unknown>> },
) => Promise<Response>;

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

function mediaTypeOf(request: Request): string | null {
  const header = request.headers.get('content-type');
  return header ? (header.split(';')[0]?.trim().toLowerCase() ?? '') : null;
}

/**
 * JSON routes take `application/json` only (parameters such as `charset` allowed): a cross-site page can post
 * `text/plain`, forms and multipart without a CORS preflight, never JSON. 415 otherwise.
 */
function assertContentType(request: Request, body: TBodyOption): void {
  if (!isStateChanging(request.method) || body === 'raw') return;
  const type = mediaTypeOf(request);
  if (body === 'form') {
    if (type === null || FORM_TYPES.includes(type)) return;
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send this form as application/x-www-form-urlencoded.');
  }
  // Without a body schema the route takes no body: nothing, or JSON passed through as it came.
  if (type === 'application/json' || (body === undefined && type === null)) return;
  throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json.');
}

function policyOf(config: { securityPolicy?: () => TSecurityPolicy }): TSecurityPolicy {
  if (!config.securityPolicy)
    throw new Error('An html route needs the app’s securityPolicy in createApiRoute.');
  return config.securityPolicy();
}

/** The headers on the response (a copy when its headers are immutable, as Response.redirect()'s are). */
function withSecurityHeaders(response: Response, headers: Record<string, string>): Response {
  let target = response;
  try {
    for (const [name, value] of Object.entries(headers)) target.headers.set(name, value);
  } catch {
    target = new Response(response.body, response);
    for (const [name, value] of Object.entries(headers)) target.headers.set(name, value);
  }
  return target;
}

function parseWith<TSchema extends z.ZodType | undefined>(
  schema: TSchema | undefined,
  value: unknown,
): TParsed<TSchema> {
  return (schema ? schema.parse(value) : undefined) as TParsed<TSchema>;
}

/**
 * The one way to write a route in both apps: request id, one log line and error mapping (createApiHandler), then
 * in this order the origin rule for state-changing methods (403, request-origin.ts), the body's content type
 * (415), the session (401 with the app's one message), and the zod schemas for params, query and body (400),
 * which live beside the operation they validate. The handler receives only parsed values.
 */
export function createApiRoute<TSession>(config: {
  logger: TLogger;
  /** The app's own origin (HUB_URL or SVD_URL), read per request so tests can set the environment first. */
  ownOrigin: () => string;
  resolveSession: (request: Request) => Promise<TSession | null>;
  unauthorizedMessage: string;
  /** The app's policy (the one its proxy.ts applies), for routes with `html`. */
  securityPolicy?: () => TSecurityPolicy;
}) {
  const apiHandler = createApiHandler(config.logger);
  return function apiRoute<
    TAuth extends TAuthOption = true,
    TBody extends TBodyOption = undefined,
    TQuery extends z.ZodType | undefined = undefined,
    TParams extends z.ZodType | undefined = undefined,
  >(
    options: TApiRouteOptions<TAuth, TBody, TQuery, TParams>,
    handler: (
      context: TApiRouteContext<
        TSessionFor<TAuth, TSession>,
        TParsed<TBody>,
        TParsed<TQuery>,
        TParsed<TParams>
      >,
    ) => Promise<Response>,
  ): TRouteHandler {
    return apiHandler<Record<string, unknown>>(async (request, context) => {
      assertAllowedOrigin(request, { own: config.ownOrigin(), others: options.allowOrigins?.() });
      assertContentType(request, options.body);
      const auth = options.auth ?? true;
      const session = auth === false ? null : await config.resolveSession(request);
      if (auth === true && !session) throw new AppError('UNAUTHORIZED', config.unauthorizedMessage);
      const params = parseWith<TParams>(options.params, context.params);
      const query = parseWith<TQuery>(options.query, Object.fromEntries(new URL(request.url).searchParams));
      const body = typeof options.body === 'object' ? await parseJsonBody(request, options.body) : undefined;
      const nonce = options.html ? createNonce() : null;
      const security = nonce === null ? null : securityHeaders(nonce, policyOf(config));
      const response = await handler({
        request,
        requestId: context.requestId,
        log: context.log,
        session: session as TSessionFor<TAuth, TSession>,
        params,
        query,
        body: body as TParsed<TBody>,
        nonce,
      });
      return security === null ? response : withSecurityHeaders(response, security);
    });
  };
}
