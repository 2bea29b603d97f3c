import { type NextRequest, NextResponse } from 'next/server';
import { REQUEST_ID_HEADER, REQUEST_PATH_HEADER, requestIdFrom } from './request-id';
import { CROSS_SITE_MESSAGE, isAllowedOrigin } from './request-origin';
import { createNonce, NONCE_HEADER, securityHeaders, type TSecurityPolicy } from './security-headers';

/**
 * Which paths the proxy's origin rule (request-origin.ts) treats differently. apiRoute applies the same rule to
 * every route (the proxy does not see SVD's uploads); here it also covers any route or page that forgets to.
 */
export interface TProxyOriginRules {
  /** Paths with no origin rule at all: only the Stripe webhook, which Stripe signs. */
  exempt?: readonly string[];
  /** Paths another of our origins may post to: SVD's `/login`, from the Hub's launch page. */
  others?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Next.js proxy body shared by both apps: gives every request an id that pages, handlers and logs share, and every
 * response the security headers with a fresh script nonce; refuses a cross-site state-changing request (403).
 * Next.js reads the nonce from the request's Content-Security-Policy header and puts it on its own scripts; our
 * standalone pages read it from `x-nonce`.
 */
export function createAppProxy(policy: () => TSecurityPolicy, origins: () => TProxyOriginRules = () => ({})) {
  return function proxy(request: NextRequest): NextResponse {
    const requestId = requestIdFrom(request.headers);
    const nonce = createNonce();
    const current = policy();
    const security = securityHeaders(nonce, current);
    const rules = origins();
    const path = request.nextUrl.pathname;
    if (
      !rules.exempt?.includes(path) &&
      !isAllowedOrigin(request, { own: current.self, others: rules.others?.[path] })
    ) {
      const refused = NextResponse.json(
        { error: { code: 'FORBIDDEN', message: CROSS_SITE_MESSAGE } },
        { status: 403 },
      );
      refused.headers.set(REQUEST_ID_HEADER, requestId);
      for (const [name, value] of Object.entries(security)) refused.headers.set(name, value);
      return refused;
    }
    const headers = new Headers(request.headers);
    headers.set(REQUEST_ID_HEADER, requestId);
    // Pages learn the URL asked for (path and query) from this, e.g. to come back to it after signing in.
    headers.set(REQUEST_PATH_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
    headers.set(NONCE_HEADER, nonce);
    headers.set('content-security-policy', security['content-security-policy'] ?? '');
    const response = NextResponse.next({ request: { headers } });
    response.headers.set(REQUEST_ID_HEADER, requestId);
    for (const [name, value] of Object.entries(security)) response.headers.set(name, value);
    return response;
  };
}
