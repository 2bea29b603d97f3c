import { ownOrigins } from '@omg/platform';
import { createAppProxy } from '@omg/platform/request-id-proxy';
import { env } from '@/lib/env';

// SVD's forms post to itself; logging out lands on the Hub's portal. Only the Hub's launch page may post to SVD
// from elsewhere, and only the hand-off to /login (login/route.ts allows the same origin).
export const proxy = createAppProxy(
  () => ({
    self: env().SVD_URL,
    formTargets: [env().HUB_URL, ...ownOrigins()],
    development: env().NODE_ENV === 'development',
  }),
  () => ({ others: { '/login': [env().HUB_URL] } }),
);

// Uploads bypass the proxy: with a proxy in front, Next.js buffers request bodies in memory (and only up to
// 10 MB), and uploads must stream.
export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico|icon.svg|api/uploads).*)'] };
