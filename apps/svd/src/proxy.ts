import { requestIdProxy } from '@omg/platform/request-id-proxy';

export const proxy = requestIdProxy;

// Uploads bypass the proxy: with a proxy in front, Next.js buffers request bodies in memory (and only up to
// 10 MB), and uploads must stream.
export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico|icon.svg|api/uploads).*)'] };
