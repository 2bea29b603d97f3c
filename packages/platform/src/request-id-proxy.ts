import { type NextRequest, NextResponse } from 'next/server';
import { REQUEST_ID_HEADER, REQUEST_PATH_HEADER, requestIdFrom } from './request-id';

/** Next.js proxy body shared by both apps: gives every request an id that pages, handlers and logs share. */
export function requestIdProxy(request: NextRequest): NextResponse {
  const requestId = requestIdFrom(request.headers);
  const headers = new Headers(request.headers);
  headers.set(REQUEST_ID_HEADER, requestId);
  // Pages learn the URL asked for (path and query) from this, e.g. to come back to it after signing in.
  headers.set(REQUEST_PATH_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set(REQUEST_ID_HEADER, requestId);
  return response;
}
