import { createAppProxy } from '@omg/platform/request-id-proxy';
import { securityPolicy } from '@/lib/security-policy';

export const proxy = createAppProxy(securityPolicy);

// Pages only. API routes (/api/*) skip the proxy: apiRoute already applies the cross-site and content-type rules,
// the request id and no-store to every one of them (the Stripe webhook is signed instead), and a JSON answer runs
// no script that a nonce policy would govern; the static headers still come from next.config.ts. The hand-off's
// HTML route /launch/<slug> skips it too: it is an apiRoute with `html`, which sets the same security headers
// with its own nonce (a deeper /launch/… path is a page again: the not-found page). Running the proxy cost a
// route about a third of its throughput (npm run bench).
export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|icon.svg|api/|launch/[^/]+$).*)'],
};
