import { requestIdProxy } from '@omg/platform/request-id-proxy';

export const proxy = requestIdProxy;

export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico|icon.svg).*)'] };
