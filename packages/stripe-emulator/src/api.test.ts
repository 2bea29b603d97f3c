import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StripeEmulator } from './index';
import { API_KEY, startEmulator, stripeClient } from './test/helpers';

let emu: StripeEmulator;
let stripe: Stripe;

beforeAll(async () => {
  ({ emu, stripe } = await startEmulator());
});
afterAll(() => emu.close());

describe('wire compatibility', () => {
  it('creates, retrieves, updates, lists and deletes customers', async () => {
    const created = await stripe.customers.create({
      email: 'a@example.com',
      name: 'Ada',
      metadata: { userId: 'u1' },
    });
    expect(created.id).toMatch(/^cus_/);
    expect(created.object).toBe('customer');
    expect(created.lastResponse.requestId).toMatch(/^req_/);

    const fetched = await stripe.customers.retrieve(created.id);
    expect(fetched).toMatchObject({ email: 'a@example.com', name: 'Ada', metadata: { userId: 'u1' } });

    const updated = await stripe.customers.update(created.id, {
      name: 'Ada L.',
      metadata: { userId: '', plan: 'pro' },
    });
    expect(updated.name).toBe('Ada L.');
    expect(updated.metadata).toEqual({ plan: 'pro' });

    const byEmail = await stripe.customers.list({ email: 'a@example.com' });
    expect(byEmail.object).toBe('list');
    expect(byEmail.url).toBe('/v1/customers');
    expect(byEmail.data.map((c) => c.id)).toEqual([created.id]);

    const removed = await stripe.customers.del(created.id);
    expect(removed).toMatchObject({ id: created.id, deleted: true });
    const afterDelete = await stripe.customers.retrieve(created.id);
    expect(afterDelete.deleted).toBe(true);
  });

  it('paginates lists newest first with limit and starting_after, and auto-pagination sees everything', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await stripe.customers.create({ email: `page${i}@example.com` })).id);
    const first = await stripe.customers.list({ limit: 2 });
    expect(first.has_more).toBe(true);
    expect(first.data.map((c) => c.id)).toEqual([ids[4], ids[3]]);
    const second = await stripe.customers.list({ limit: 2, starting_after: first.data[1]?.id });
    expect(second.data.map((c) => c.id)).toEqual([ids[2], ids[1]]);
    const all: string[] = [];
    for await (const c of stripe.customers.list({ limit: 2 })) all.push(c.id);
    expect(all).toEqual(expect.arrayContaining(ids));
    await expect(stripe.customers.list({ limit: 101 })).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
  });

  it('rejects a missing or wrong key with StripeAuthenticationError and Stripe-shaped 401 bodies', async () => {
    const wrong = stripeClient(emu, 'pk_test_nope');
    const err = await wrong.customers.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect((err as Stripe.errors.StripeError).statusCode).toBe(401);
    expect((err as Stripe.errors.StripeError).message).toContain('Invalid API Key provided');

    const raw = await fetch(`${emu.url}/v1/customers`);
    expect(raw.status).toBe(401);
    expect(raw.headers.get('request-id')).toMatch(/^req_/);
    const body = (await raw.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toContain('You did not provide an API key');
  });

  it('only accepts the configured key when apiKey is set', async () => {
    const { emu: strict, stripe: good } = await startEmulator({ apiKey: API_KEY });
    try {
      await expect(good.customers.list()).resolves.toMatchObject({ object: 'list' });
      await expect(stripeClient(strict, 'sk_test_other').customers.list()).rejects.toBeInstanceOf(
        Stripe.errors.StripeAuthenticationError,
      );
    } finally {
      await strict.close();
    }
  });

  it('answers a missing resource with 404 resource_missing and a bad parameter with 400', async () => {
    const missing = (await stripe.customers
      .retrieve('cus_missing')
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing.statusCode).toBe(404);
    expect(missing.code).toBe('resource_missing');
    expect(missing.param).toBe('id');
    expect(missing.message).toBe("No such customer: 'cus_missing'");
    expect(missing.requestId).toMatch(/^req_/);

    const bad = (await stripe.prices
      .create({ currency: 'usd', unit_amount: 100, product: 'prod_missing' })
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(bad).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(bad.param).toBe('product');

    const noParam = (await stripe.products
      .create({} as Stripe.ProductCreateParams)
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(noParam.code).toBe('parameter_missing');
    expect(noParam.param).toBe('name');

    const unknownRoute = await fetch(`${emu.url}/v1/nothing_here`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    expect(unknownRoute.status).toBe(404);
  });

  it('replays a request with the same Idempotency-Key and refuses the key with different parameters', async () => {
    const first = await stripe.customers.create({ email: 'idem@example.com' }, { idempotencyKey: 'key-1' });
    const again = await stripe.customers.create({ email: 'idem@example.com' }, { idempotencyKey: 'key-1' });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    const listed = await stripe.customers.list({ email: 'idem@example.com' });
    expect(listed.data).toHaveLength(1);

    const err = (await stripe.customers
      .create({ email: 'other@example.com' }, { idempotencyKey: 'key-1' })
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(err).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(err.type).toBe('StripeIdempotencyError');
    expect(err.statusCode).toBe(400);
  });

  it('decodes bracketed form keys, arrays and RFC 3986 values the way the SDK sends them', async () => {
    const customer = await stripe.customers.create({
      email: 'a+b@example.com',
      name: 'Space & Plus+',
      metadata: { 'key with space': 'value/with?chars', emoji: 'café' },
    });
    expect(customer.email).toBe('a+b@example.com');
    expect(customer.name).toBe('Space & Plus+');
    expect(customer.metadata).toEqual({ 'key with space': 'value/with?chars', emoji: 'café' });
  });

  it('echoes Stripe-Version and records events readable through the events API', async () => {
    const customer = await stripe.customers.create(
      { email: 'events@example.com' },
      { idempotencyKey: 'evt-key' },
    );
    expect(customer.lastResponse.headers['stripe-version']).toBe('2026-10-28.endive');
    const events = await stripe.events.list({ type: 'customer.created', limit: 100 });
    const event = events.data.find((e) => (e.data.object as Stripe.Customer).id === customer.id);
    expect(event).toBeDefined();
    expect(event?.api_version).toBe('2026-10-28.endive');
    expect(event?.request).toEqual({ id: customer.lastResponse.requestId, idempotency_key: 'evt-key' });
    const again = await stripe.events.retrieve(event?.id ?? '');
    expect(again.type).toBe('customer.created');

    await stripe.customers.update(customer.id, { name: 'Changed' });
    const updated = await stripe.events.list({ type: 'customer.updated', limit: 1 });
    expect(updated.data[0]?.data.previous_attributes).toEqual({ name: null });
  });

  it('searches customers and pages backwards with ending_before', async () => {
    const tagged = await stripe.customers.create({
      email: 'search@example.com',
      metadata: { userId: 'search-1' },
    });
    const found = await stripe.customers.search({ query: "metadata['userId']:'search-1'" });
    expect(found.data.map((c) => c.id)).toEqual([tagged.id]);
    const byEmail = await stripe.customers.search({
      query: "email:'search@example.com' AND metadata['userId']:'search-1'",
    });
    expect(byEmail.data).toHaveLength(1);
    await expect(stripe.customers.search({ query: 'nonsense' })).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );

    const a = await stripe.customers.create({ email: 'eb1@example.com' });
    const b = await stripe.customers.create({ email: 'eb2@example.com' });
    const before = await stripe.customers.list({ ending_before: a.id, limit: 5 });
    expect(before.data.map((c) => c.id)).toEqual([b.id]);
  });

  it('filters events by type wildcard, types[] and created', async () => {
    const product = await stripe.products.create({ name: 'Evented' });
    await stripe.products.update(product.id, { name: 'Evented 2' });
    const wildcard = await stripe.events.list({ type: 'product.*', limit: 100 });
    expect(new Set(wildcard.data.map((e) => e.type))).toEqual(
      new Set(['product.created', 'product.updated']),
    );
    const typed = await stripe.events.list({ types: ['product.updated'], limit: 100 });
    expect(typed.data.every((e) => e.type === 'product.updated')).toBe(true);
    const future = await stripe.events.list({ created: { gt: emu.now() + 1000 } });
    expect(future.data).toHaveLength(0);
  });

  it('forgets events older than 30 days, as Stripe does', async () => {
    const { emu: own, stripe: client } = await startEmulator();
    try {
      await client.products.create({ name: 'Old news' });
      const old = (await client.events.list({ limit: 1 })).data[0];
      own.advanceClock(31 * 86_400);
      for (let i = 0; i < 500; i++) await client.customers.create();
      await expect(client.events.retrieve(old?.id ?? '')).rejects.toMatchObject({ statusCode: 404 });
      expect((await client.events.list({ limit: 1 })).data[0]?.type).toBe('customer.created');
    } finally {
      await own.close();
    }
  });
});
