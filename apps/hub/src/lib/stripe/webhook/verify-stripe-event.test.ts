import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { verifyStripeEvent } from './verify-stripe-event';

const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'invoice.paid', data: { object: {} } });
const sign = (secret: string) => Stripe.webhooks.generateTestHeaderString({ payload, secret });

describe('verifyStripeEvent', () => {
  it('refuses everything when no secret is configured: there is no bypass', () => {
    for (const secrets of [undefined, '', ' , ']) {
      expect(() => verifyStripeEvent(payload, sign('whsec_a'), secrets)).toThrow(
        expect.objectContaining({ code: 'BAD_REQUEST', message: expect.stringMatching(/not configured/) }),
      );
    }
  });

  it('accepts a signature from any configured secret (rotation) and returns the event', () => {
    expect(verifyStripeEvent(payload, sign('whsec_b'), 'whsec_a,whsec_b').id).toBe('evt_1');
    expect(verifyStripeEvent(payload, sign('whsec_a'), 'whsec_a, whsec_b').type).toBe('invoice.paid');
  });

  it('rejects a missing header, another secret, a tampered body and an expired timestamp', () => {
    const reject = (run: () => unknown) =>
      expect(run).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    reject(() => verifyStripeEvent(payload, null, 'whsec_a'));
    reject(() => verifyStripeEvent(payload, sign('whsec_z'), 'whsec_a'));
    reject(() => verifyStripeEvent(`${payload} `, sign('whsec_a'), 'whsec_a'));
    const old = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: 'whsec_a',
      timestamp: Math.floor(Date.now() / 1000) - 3_600,
    });
    reject(() => verifyStripeEvent(payload, old, 'whsec_a'));
  });

  it.each([
    ['ten minutes ahead', 600, false],
    ['a year ahead', 365 * 86_400, false],
    ['just inside the tolerance ahead', 240, true],
    ['just inside the tolerance behind', -240, true],
    ['ten minutes behind', -600, false],
  ])('a signature timestamp %s is %s', (_, offset, accepted) => {
    const header = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: 'whsec_a',
      timestamp: Math.floor(Date.now() / 1000) + offset,
    });
    const run = () => verifyStripeEvent(payload, header, 'whsec_a');
    if (accepted) expect(run().id).toBe('evt_1');
    else expect(run).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });

  it.each(['v1=abc', 't=,v1=abc', 't=abc,v1=abc', 't=99999999999999999999,v1=abc', 't=-5,v1=abc', ' '])(
    'refuses a malformed header %j as a bad signature, never a 500',
    (header) => {
      expect(() => verifyStripeEvent(payload, header, 'whsec_a')).toThrow(
        expect.objectContaining({ code: 'BAD_REQUEST' }),
      );
    },
  );
});
