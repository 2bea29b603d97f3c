import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from './errors';
import { parseForm } from './form';
import { Router } from './http/router';
import type { StripeEmulator } from './index';
import { registerApi } from './resources';
import { findViolations } from './schema/find-violations';
import { loadSdkSchemas } from './schema/load-sdk-schemas';
import { createRequestValidator } from './schema/validate-request';
import { createCatalog, startEmulator } from './test/helpers';

async function expectStripeError(promise: Promise<unknown>) {
  const error = (await promise.then(
    () => null,
    (e: unknown) => e,
  )) as Stripe.errors.StripeError | null;
  expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  return error as Stripe.errors.StripeError;
}

describe('the SDK-derived schemas', () => {
  it('cover every route the emulator serves', () => {
    const operations = registerApi(new Router()).operations();
    const schemas = loadSdkSchemas({ operations });
    const known = new Set(schemas.operations.map((op) => `${op.httpMethod} ${op.path}`));
    expect(operations.filter((op) => !known.has(op))).toEqual([]);
    const update = schemas.operations.find(
      (op) => op.httpMethod === 'POST' && op.path === '/v1/subscriptions/{}',
    );
    expect(update?.params).toEqual({ $ref: '#/$defs/SubscriptionUpdateParams' });
    expect(schemas.$defs.SubscriptionUpdateParams?.properties?.proration_behavior).toMatchObject({
      enum: ['always_invoice', 'create_prorations', 'none'],
    });
  }, 120_000);
});

describe('the response check', () => {
  it('names missing required fields, undeclared fields, wrong kinds and values outside an enum', () => {
    const schemas = loadSdkSchemas({ operations: registerApi(new Router()).operations(), responses: true });
    const retrieve = schemas.operations.find((op) => op.httpMethod === 'GET' && op.path === '/v1/coupons/{}');
    const coupon = {
      id: 'c1',
      object: 'coupon',
      amount_off: null,
      applies_to: { products: [] },
      created: 1,
      currency: null,
      duration: 'sometimes',
      duration_in_months: null,
      livemode: false,
      max_redemptions: null,
      metadata: {},
      name: null,
      redeem_by: null,
      times_redeemed: '0',
      valid: true,
      sparkle: true,
    };
    const found = findViolations(schemas, retrieve?.response ?? {}, coupon).map(
      (v) => `${v.path}: ${v.message}`,
    );
    expect(found).toEqual(
      expect.arrayContaining([
        '$.percent_off: missing (required by the SDK type)',
        '$.duration: "sometimes" is not one of "forever", "once", "repeating"',
        '$.times_redeemed: expected number, got string "0"',
        '$.sparkle: not declared by the SDK type',
      ]),
    );
  }, 60_000);
});

describe('the request check on decoded form bodies', () => {
  const refusal = (operation: string, body: string) => {
    const validate = createRequestValidator(
      loadSdkSchemas({ operations: registerApi(new Router()).operations() }),
    );
    try {
      validate(operation, parseForm(body));
      return null;
    } catch (e) {
      return e instanceof ApiError ? { code: e.code ?? null, param: e.param, message: e.message } : e;
    }
  };

  it('accepts what the SDK sends and refuses the rest, naming the parameter as Stripe does', () => {
    const update = 'POST /v1/subscriptions/{}';
    expect(
      refusal(
        update,
        'items[0][id]=si_1&items[0][price]=price_1&items[0][quantity]=2&proration_behavior=always_invoice&proration_date=1700000000&cancel_at=&default_payment_method=pm_card_visa&metadata[a]=1&metadata[b]=&expand[0]=latest_invoice',
      ),
    ).toBeNull();
    expect(refusal(update, 'cancel_at=1700000000')).toBeNull();
    expect(refusal(update, 'cancel_at=min_period_end')).toBeNull();
    expect(refusal(update, 'items[0][price_data][recurring][intervall]=month')).toMatchObject({
      code: 'parameter_unknown',
      param: 'items[0][price_data][recurring][intervall]',
    });
    expect(refusal(update, 'items[x][price]=price_1')).toMatchObject({
      param: 'items',
      message: 'Invalid array',
    });
    expect(refusal(update, 'items=price_1')).toMatchObject({ param: 'items' });
    expect(refusal(update, 'cancel_at_period_end[a]=true')).toMatchObject({ param: 'cancel_at_period_end' });
    expect(refusal(update, 'trial_end=later')).toMatchObject({ param: 'trial_end' });
    expect(refusal(update, 'trial_end=now')).toBeNull();
    expect(refusal('GET /v1/subscriptions', 'status=all&limit=3&created[gte]=1&price=price_1')).toBeNull();
    expect(refusal('GET /v1/subscriptions', 'created[after]=1')).toMatchObject({
      code: 'parameter_unknown',
      param: 'created[after]',
    });
    expect(
      refusal('DELETE /v1/subscriptions/{}', 'invoice_now=true&prorate=true&expand[]=customer'),
    ).toBeNull();
  }, 60_000);
});

describe('request parameters are held to the SDK types, with Stripe errors', () => {
  let emu: StripeEmulator;
  let stripe: Stripe;
  beforeAll(async () => {
    ({ emu, stripe } = await startEmulator());
  }, 60_000);
  afterAll(() => emu.close());

  it('refuses unknown parameters at any depth and in the query string', async () => {
    const { monthly } = await createCatalog(stripe);
    const customer = await stripe.customers.create({ email: 'strict@example.com' });
    const nested = await expectStripeError(
      stripe.subscriptions.create({
        customer: customer.id,
        items: [{ prise: monthly.id } as Stripe.SubscriptionCreateParams.Item],
      }),
    );
    expect(nested).toMatchObject({
      type: 'StripeInvalidRequestError',
      code: 'parameter_unknown',
      param: 'items[0][prise]',
      message: 'Received unknown parameter: items[0][prise]',
      statusCode: 400,
    });
    const top = await expectStripeError(
      stripe.customers.update(customer.id, { prorate: true } as Stripe.CustomerUpdateParams),
    );
    expect(top).toMatchObject({ code: 'parameter_unknown', param: 'prorate' });
    const query = await expectStripeError(
      stripe.customers.list({ emial: 'x@example.com' } as Stripe.CustomerListParams),
    );
    expect(query).toMatchObject({ code: 'parameter_unknown', param: 'emial' });
    // A refused request is not kept for its idempotency key: the corrected request runs under the same key.
    const key = { idempotencyKey: 'strict-retry-1' };
    await expectStripeError(
      stripe.customers.create({ emial: 'a@example.com' } as Stripe.CustomerCreateParams, key),
    );
    expect((await stripe.customers.create({ email: 'a@example.com' }, key)).email).toBe('a@example.com');
    // Nothing changed: the refused update left the customer as it was.
    expect((await stripe.subscriptions.list({ customer: customer.id })).data).toHaveLength(0);
  });

  it('refuses bad enum values, non-numbers, empty strings that cannot unset, and missing required params', async () => {
    const { monthly, product } = await createCatalog(stripe, 'enum');
    const customer = await stripe.customers.create({
      email: 'enum@example.com',
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: monthly.id }] });
    const badEnum = await expectStripeError(
      stripe.subscriptions.update(sub.id, {
        proration_behavior: 'prorate' as Stripe.SubscriptionUpdateParams.ProrationBehavior,
      }),
    );
    expect(badEnum).toMatchObject({ param: 'proration_behavior' });
    expect(badEnum.message).toBe(
      'Invalid proration_behavior: must be one of always_invoice, create_prorations, or none',
    );
    const notNumber = await expectStripeError(
      stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 'ten' as unknown as number }),
    );
    expect(notNumber).toMatchObject({ code: 'parameter_invalid_integer', param: 'unit_amount' });
    const badBool = await expectStripeError(
      stripe.subscriptions.update(sub.id, { cancel_at_period_end: 'yes' as unknown as boolean }),
    );
    expect(badBool).toMatchObject({ param: 'cancel_at_period_end', message: 'Invalid boolean: yes' });
    const empty = await expectStripeError(
      stripe.subscriptions.update(sub.id, { proration_behavior: '' as 'none' }),
    );
    expect(empty).toMatchObject({ code: 'parameter_invalid_empty', param: 'proration_behavior' });
    const missing = await expectStripeError(
      stripe.prices.create({ product: product.id, unit_amount: 100 } as Stripe.PriceCreateParams),
    );
    expect(missing).toMatchObject({
      code: 'parameter_missing',
      param: 'currency',
      message: 'Missing required param: currency.',
    });
    const nestedEnum = await expectStripeError(
      stripe.prices.create({
        product: product.id,
        currency: 'usd',
        unit_amount: 100,
        recurring: { interval: 'fortnight' as 'month' },
      }),
    );
    expect(nestedEnum).toMatchObject({ param: 'recurring[interval]' });
    // `cancel_at` is a timestamp or one of a few words (or '' to unset): neither fits 'soon'.
    const union = await expectStripeError(
      stripe.subscriptions.update(sub.id, { cancel_at: 'soon' as 'max_period_end' }),
    );
    expect(union).toMatchObject({
      param: 'cancel_at',
      message: 'Invalid cancel_at: must be one of max_billed_until, max_period_end, or min_period_end',
    });
    // What the SDK may send stays accepted: '' unsets an Emptyable field, expand works on a DELETE.
    const unset = await stripe.subscriptions.update(sub.id, { cancel_at: '', metadata: { a: '1' } });
    expect(unset.cancel_at).toBeNull();
    const cleared = await stripe.subscriptions.update(sub.id, { metadata: { a: '' } });
    expect(cleared.metadata).toEqual({});
    const canceled = await stripe.subscriptions.cancel(sub.id, { expand: ['latest_invoice'] });
    expect(canceled.status).toBe('canceled');
  });

  it("enforces Stripe's metadata limits: 50 keys, 40-character keys, 500-character values", async () => {
    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    const many = await expectStripeError(stripe.customers.create({ metadata: tooMany }));
    expect(many).toMatchObject({ param: 'metadata' });
    expect(many.message).toContain('50 keys');
    const longKey = await expectStripeError(stripe.customers.create({ metadata: { ['k'.repeat(41)]: 'v' } }));
    expect(longKey).toMatchObject({ param: `metadata[${'k'.repeat(41)}]` });
    expect(longKey.message).toContain('40 characters');
    const longValue = await expectStripeError(
      stripe.customers.create({ metadata: { note: 'x'.repeat(501) } }),
    );
    expect(longValue).toMatchObject({ param: 'metadata[note]' });
    expect(longValue.message).toContain('500 characters');
    const atLimits = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [
        `${'k'.repeat(38)}${String(i).padStart(2, '0')}`,
        'x'.repeat(500),
      ]),
    );
    expect(Object.keys((await stripe.customers.create({ metadata: atLimits })).metadata)).toHaveLength(50);
  });
});
