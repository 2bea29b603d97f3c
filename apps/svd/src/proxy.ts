import { createAppProxy } from '@omg/platform/request-id-proxy';
import { securityPolicy } from '@/lib/security-policy';

// No page takes a post from another origin: the only one that may (the Hub's hand-off to /login) is an apiRoute
// outside the proxy, which allows the Hub's origin there.
export const proxy = createAppProxy(securityPolicy);

// Pages only. API routes (/api/*) skip the proxy: apiRoute already applies the cross-site and content-type rules,
// the request id and no-store to every one of them, and a JSON answer runs no script that a nonce policy would
// govern; the static headers still come from next.config.ts. Uploads must skip it anyway (with a proxy in front
// Next.js buffers request bodies in memory, and only up to 10 MB). The HTML routes /login, /login/start and
// /logout skip it too: they are apiRoutes with `html`, which set the same security headers with their own nonce
// and apply the same origin rule (any deeper path is a page again). Running the proxy cost a route about a third
// of its throughput (npm run bench).
export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|icon.svg|api/|login$|login/start$|logout$).*)'],
};
