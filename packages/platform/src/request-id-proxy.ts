import { type NextRequest, NextResponse } from 'next/server';
import { REQUEST_ID_HEADER, REQUEST_PATH_HEADER, requestIdFrom } from './request-id';
import { createNonce, NONCE_HEADER, securityHeaders, type TSecurityPolicy } from './security-headers';

/**
 * Next.js proxy body shared by both apps: gives every request an id that pages, handlers and logs share, and every
 * response the security headers with a fresh script nonce. Next.js reads the nonce from the request's
 * Content-Security-Policy header and puts it on its own scripts; our standalone pages read it from `x-nonce`.
 */
export function createAppProxy(policy: () => TSecurityPolicy) {
  return function proxy(request: NextRequest): NextResponse {
    const requestId = requestIdFrom(request.headers);
    const nonce = createNonce();
    const security = securityHeaders(nonce, policy());
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
