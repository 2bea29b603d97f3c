import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  createNonce,
  STRIPE_HOSTED_ORIGINS,
  securityHeaders,
} from './security-headers';

const directives = (csp: string) =>
  new Map(
    csp.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

const hub = {
  self: 'https://hub.example.test',
  formTargets: [
    'https://svd.example.test/login',
    null,
    undefined,
    'not a url',
    'javascript:alert(1)',
    ...STRIPE_HOSTED_ORIGINS,
  ],
  development: false,
};

describe('security headers', () => {
  it('makes a fresh, unguessable nonce for every request', () => {
    const nonces = new Set(Array.from({ length: 500 }, createNonce));
    expect(nonces.size).toBe(500);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });

  it('runs scripts only with the nonce: no unsafe-inline, no eval in production, nothing frames us', () => {
    const csp = directives(contentSecurityPolicy('abc123==', hub));
    expect(csp.get('script-src')).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.has('upgrade-insecure-requests')).toBe(true);
    for (const [name, values] of csp) {
      if (name.startsWith('script')) expect(values).not.toContain("'unsafe-inline'");
      expect(values).not.toContain('*');
    }
  });

  it('lets forms go only to our own origins and Stripe’s hosted pages, as origins, dropping bad entries', () => {
    const csp = directives(contentSecurityPolicy('n', hub));
    expect(csp.get('form-action')).toEqual([
      "'self'",
      'https://hub.example.test',
      'https://svd.example.test',
      'https://checkout.stripe.com',
      'https://billing.stripe.com',
    ]);
  });

  it('allows eval and the hot-reload socket only in development', () => {
    const csp = directives(
      contentSecurityPolicy('n', { ...hub, self: 'http://localhost:3000', development: true }),
    );
    expect(csp.get('script-src')).toContain("'unsafe-eval'");
    expect(csp.get('connect-src')).toEqual(["'self'", 'ws:', 'wss:']);
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
  });

  it('sends HSTS only when the app is served over HTTPS', () => {
    expect(securityHeaders('n', hub)['strict-transport-security']).toBe(
      'max-age=63072000; includeSubDomains',
    );
    const local = securityHeaders('n', { ...hub, self: 'http://localhost:3000' });
    expect(local['strict-transport-security']).toBeUndefined();
    expect(Object.keys(local).sort()).toEqual(['content-security-policy', 'permissions-policy']);
  });
});
