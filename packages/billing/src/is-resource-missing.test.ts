import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { idOf } from './id-of';
import { isResourceMissing, orNullIfMissing } from './is-resource-missing';

const missing = Object.assign(new Error('No such subscription'), {
  statusCode: 404,
  code: 'resource_missing',
});

describe('Stripe reference helpers', () => {
  it('reads an id from a plain id or an expanded object, and null from nothing', () => {
    expect(idOf('sub_1')).toBe('sub_1');
    expect(idOf({ id: 'cus_1' })).toBe('cus_1');
    expect(idOf(null)).toBeNull();
    expect(idOf(undefined)).toBeNull();
  });

  it('calls only a 404 resource_missing "missing"; outages and other errors are not', () => {
    expect(isResourceMissing(missing)).toBe(true);
    expect(isResourceMissing({ statusCode: 404, code: 'other' })).toBe(false);
    expect(isResourceMissing({ statusCode: 400, code: 'resource_missing' })).toBe(false);
    expect(isResourceMissing(new Stripe.errors.StripeConnectionError({ message: 'ECONNREFUSED' }))).toBe(
      false,
    );
    expect(isResourceMissing(null)).toBe(false);
  });

  it('turns a missing resource into null and passes every other failure on', async () => {
    expect(await orNullIfMissing(Promise.resolve('found'))).toBe('found');
    expect(await orNullIfMissing(Promise.reject(missing))).toBeNull();
    const outage = new Error('connect ECONNREFUSED');
    await expect(orNullIfMissing(Promise.reject(outage))).rejects.toBe(outage);
  });
});
