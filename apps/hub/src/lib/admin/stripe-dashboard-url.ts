export type TStripeObjectKind = 'customers' | 'subscriptions' | 'prices' | 'events' | 'charges' | 'invoices';

/**
 * A link to an object in Stripe's dashboard. Test-mode objects live under /test/; the mode follows the Hub's
 * secret key (sk_test_… or the emulator's key, sk_live_… in production), so staff land on the right side.
 */
export function stripeDashboardUrl(kind: TStripeObjectKind, id: string, testMode: boolean): string {
  return `https://dashboard.stripe.com/${testMode ? 'test/' : ''}${kind}/${encodeURIComponent(id)}`;
}

/** Whether the Hub talks to Stripe's test mode: any key but a live one (no key at all is development). */
export function isStripeTestMode(secretKey: string | undefined): boolean {
  return !secretKey || !/^(sk|rk)_live_/.test(secretKey);
}
