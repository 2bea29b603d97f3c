import { REQUEST_ID_HEADER, requestIdFrom } from '@omg/platform/request-id';
import { type NextRequest, NextResponse } from 'next/server';

/** Gives every request an id that pages, route handlers and logs share. */
export function proxy(request: NextRequest) {
  const requestId = requestIdFrom(request.headers);
  const headers = new Headers(request.headers);
  headers.set(REQUEST_ID_HEADER, requestId);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set(REQUEST_ID_HEADER, requestId);
  return response;
}

export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] };
