import net from 'node:net';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { isPaymentProviderUnavailable, PAYMENTS_UNAVAILABLE_MESSAGE, toErrorResponse } from './app-error';

/** A port nothing listens on: bound once, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('a payment provider that is away or slow', () => {
  it('turns the SDK’s connection error (a refused connection) into 503 "Payments are temporarily unavailable"', async () => {
    const stripe = new Stripe('sk_test_unreachable', {
      host: '127.0.0.1',
      port: await closedPort(),
      protocol: 'http',
      maxNetworkRetries: 0,
      telemetry: false,
    });
    const error = await stripe.customers.list({ limit: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect(isPaymentProviderUnavailable(error)).toBe(true);
    expect(toErrorResponse(error)).toEqual({
      status: 503,
      body: { error: { code: 'UNAVAILABLE', message: PAYMENTS_UNAVAILABLE_MESSAGE } },
    });
    // Wrapped by our own code (a cause chain), it is still recognised.
    expect(isPaymentProviderUnavailable(new Error('checkout failed', { cause: error }))).toBe(true);
  });

  it('counts Stripe’s own 5xx and 429 as unavailable, never a declined card or a bad request', () => {
    const raw = (statusCode: number) => ({ message: 'x', statusCode });
    expect(isPaymentProviderUnavailable(new Stripe.errors.StripeAPIError(raw(503)))).toBe(true);
    expect(isPaymentProviderUnavailable(new Stripe.errors.StripeRateLimitError(raw(429)))).toBe(true);
    const declined = new Stripe.errors.StripeCardError(raw(402));
    expect(isPaymentProviderUnavailable(declined)).toBe(false);
    expect(isPaymentProviderUnavailable(new Stripe.errors.StripeInvalidRequestError(raw(400)))).toBe(false);
    expect(toErrorResponse(declined).status).toBe(500);
    expect(isPaymentProviderUnavailable(new Error('ECONNREFUSED'))).toBe(false);
  });
});
