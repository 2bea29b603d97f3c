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

// Pages and the HTML routes (/login, /logout) only. API routes (/api/*) skip the proxy: apiRoute already applies
// the cross-site and content-type rules, the request id and no-store to every one of them, and a JSON answer runs
// no script that a nonce policy would govern; the static headers still come from next.config.ts. Uploads must skip
// it anyway (with a proxy in front Next.js buffers request bodies in memory, and only up to 10 MB). Running the
// proxy cost an API route about two thirds of its throughput (npm run bench).
export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico|icon.svg|api/).*)'] };
