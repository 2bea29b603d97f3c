import { ownOrigins, STRIPE_HOSTED_ORIGINS } from '@omg/platform';
import { createAppProxy } from '@omg/platform/request-id-proxy';
import { env } from '@/lib/env';

// Stripe signs its webhook deliveries and is no browser: the one route without the cross-site rule.
const WEBHOOK_ONLY_EXEMPTION = () => ({ exempt: ['/api/webhooks/stripe'] });

// Forms on the Hub post to itself and, for the hand-off, to the catalog apps; checkout and the customer portal
// leave for Stripe's hosted pages (the local emulator's in development).
export const proxy = createAppProxy(
  () => ({
    self: env().HUB_URL,
    formTargets: [...ownOrigins(), ...STRIPE_HOSTED_ORIGINS, env().STRIPE_API_BASE],
    development: env().NODE_ENV === 'development',
  }),
  WEBHOOK_ONLY_EXEMPTION,
);

export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico|icon.svg).*)'] };
