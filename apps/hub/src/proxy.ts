import { ownOrigins, STRIPE_HOSTED_ORIGINS } from '@omg/platform';
import { createAppProxy } from '@omg/platform/request-id-proxy';
import { env } from '@/lib/env';

// Forms on the Hub post to itself and, for the hand-off, to the catalog apps; checkout and the customer portal
// leave for Stripe's hosted pages (the local emulator's in development).
export const proxy = createAppProxy(() => ({
  self: env().HUB_URL,
  formTargets: [...ownOrigins(), ...STRIPE_HOSTED_ORIGINS, env().STRIPE_API_BASE],
  development: env().NODE_ENV === 'development',
}));

// Pages and the HTML routes (/launch) only. API routes (/api/*) skip the proxy: apiRoute already applies the
// cross-site and content-type rules, the request id and no-store to every one of them (the Stripe webhook is signed
// instead), and a JSON answer runs no script that a nonce policy would govern; the static headers still come from
// next.config.ts. Running the proxy cost an API route about two thirds of its throughput (npm run bench).
export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico|icon.svg|api/).*)'] };
