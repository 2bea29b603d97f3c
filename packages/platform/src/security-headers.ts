import { originOf } from './redirect-target';

/**
 * The security headers of every page and route of both apps (set by the proxy, so no page can forget them).
 *
 * Scripts run only with this request's nonce (`'strict-dynamic'` lets Next.js's own chunks load the rest), so an
 * injected `<script>` or inline handler does nothing. Styles may be inline: React and Tailwind set `style`
 * attributes, and CSS cannot run code. Forms may only post to our own origins (the Hub's launch page posts the
 * hand-off to an app, SVD's logout lands on the Hub) and Stripe's hosted pages; no site may frame us.
 */
export interface TSecurityPolicy {
  /** The app's own public origin (HUB_URL / SVD_URL): `https:` turns on HSTS and upgrade-insecure-requests. */
  self: string;
  /** Further origins forms may post or redirect to: the other own apps, Stripe's hosted pages. */
  formTargets: readonly (string | null | undefined)[];
  /** `next dev` needs eval (React's debugging) and a websocket for hot reload. */
  development: boolean;
}

/** Stripe's hosted checkout and customer portal (production); the local emulator's origin is added by the app. */
export const STRIPE_HOSTED_ORIGINS = ['https://checkout.stripe.com', 'https://billing.stripe.com'] as const;

/** Header through which the proxy hands a page or route this request's nonce. */
export const NONCE_HEADER = 'x-nonce';

/** 128 random bits, base64: unguessable, fresh for every request. */
export function createNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

export function contentSecurityPolicy(nonce: string, policy: TSecurityPolicy): string {
  const https = policy.self.startsWith('https://');
  const forms = [
    ...new Set([originOf(policy.self), ...policy.formTargets.map(originOf)].filter((o) => o !== null)),
  ];
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${policy.development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${policy.development ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    `form-action 'self' ${forms.join(' ')}`.trim(),
    ...(https ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}

/**
 * The per-request headers of the policy. The static ones (nosniff, DENY framing, no-referrer) come from each
 * app's next.config.ts, which covers static files too, where the proxy does not run.
 */
export function securityHeaders(nonce: string, policy: TSecurityPolicy): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(nonce, policy),
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    ...(policy.self.startsWith('https://')
      ? { 'strict-transport-security': 'max-age=63072000; includeSubDomains' }
      : {}),
  };
}
