import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import type { StripeEmulator } from './index';
import { startEmulator, startReceiver } from './test/helpers';

const SECRET = 'whsec_test_emulator_secret';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setup(respond?: (n: number, body: string) => number) {
  const receiver = await startReceiver(respond);
  const { emu, stripe } = await startEmulator({ webhooks: [{ url: receiver.url, secret: SECRET }] });
  cleanups.push(
    () => emu.close(),
    () => receiver.close(),
  );
  return { receiver, emu, stripe };
}

async function control(emu: StripeEmulator, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${emu.url}/_emulator/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return res.json();
}

describe('webhook delivery', () => {
  it('signs deliveries so stripe.webhooks.constructEvent accepts them, and rejects tampering', async () => {
    const { receiver, emu, stripe } = await setup();
    const customer = await stripe.customers.create({ email: 'hook@example.com' });
    await emu.flushWebhooks();
    expect(receiver.received).toHaveLength(1);
    const delivery = receiver.received[0];
    const signature = String(delivery?.headers['stripe-signature']);
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const event = stripe.webhooks.constructEvent(delivery?.body ?? '', signature, SECRET);
    expect(event.type).toBe('customer.created');
    expect(event.api_version).toBe('2026-10-28.endive');
    expect((event.data.object as Stripe.Customer).id).toBe(customer.id);
    expect(event.request?.id).toBe(customer.lastResponse.requestId);

    expect(() => stripe.webhooks.constructEvent(`${delivery?.body} `, signature, SECRET)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    expect(() => stripe.webhooks.constructEvent(delivery?.body ?? '', signature, 'whsec_wrong')).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
  });

  it('registers endpoints through POST /v1/webhook_endpoints with a secret and enabled_events', async () => {
    const receiver = await startReceiver();
    const { emu, stripe } = await startEmulator();
    cleanups.push(
      () => emu.close(),
      () => receiver.close(),
    );
    const endpoint = await stripe.webhookEndpoints.create({
      url: receiver.url,
      enabled_events: ['product.created'],
    });
    expect(endpoint.secret).toMatch(/^whsec_/);
    const fetched = await stripe.webhookEndpoints.retrieve(endpoint.id);
    expect(fetched.secret).toBeUndefined();
    expect((await stripe.webhookEndpoints.list()).data.map((e) => e.id)).toEqual([endpoint.id]);

    await stripe.customers.create({ email: 'ignored@example.com' });
    await stripe.products.create({ name: 'Delivered' });
    await emu.flushWebhooks();
    expect(receiver.events().map((e) => e.type)).toEqual(['product.created']);
    const delivery = receiver.received[0];
    const event = stripe.webhooks.constructEvent(
      delivery?.body ?? '',
      String(delivery?.headers['stripe-signature']),
      endpoint.secret ?? '',
    );
    expect(event.type).toBe('product.created');

    const disabled = await stripe.webhookEndpoints.update(endpoint.id, { disabled: true });
    expect(disabled.status).toBe('disabled');
    await stripe.products.create({ name: 'While disabled' });
    await emu.flushWebhooks();
    expect(receiver.received).toHaveLength(1);
    await stripe.webhookEndpoints.update(endpoint.id, { disabled: false });

    await stripe.webhookEndpoints.del(endpoint.id);
    await stripe.products.create({ name: 'Not delivered' });
    await emu.flushWebhooks();
    expect(receiver.received).toHaveLength(1);
  });

  it('retries a delivery the receiver answers with 500, with growing delays', async () => {
    const { receiver, emu, stripe } = await setup((n) => (n <= 2 ? 500 : 200));
    await stripe.customers.create({ email: 'retry@example.com' });
    await emu.flushWebhooks();
    const log = emu.deliveries();
    expect(log.map((d) => [d.attempt, d.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect(log.map((d) => d.retryInMs)).toEqual([5, 10, null]);
    expect((log[1]?.at ?? 0) - (log[0]?.at ?? 0)).toBeGreaterThanOrEqual(5);
    expect(receiver.received).toHaveLength(1);
  });

  it('gives up after the bounded number of attempts when the endpoint is unreachable', async () => {
    const gone = await startReceiver();
    await gone.close();
    const { emu, stripe } = await startEmulator({ webhooks: [{ url: gone.url, secret: SECRET }] });
    cleanups.push(() => emu.close());
    await stripe.customers.create({ email: 'down@example.com' });
    await emu.flushWebhooks();
    const log = emu.deliveries();
    expect(log).toHaveLength(4);
    expect(log.every((d) => !d.ok && d.status === null && d.error)).toBe(true);
    expect(log.map((d) => d.retryInMs)).toEqual([5, 10, 20, null]);
  });

  it('delivers every event twice in duplicates mode (same event id)', async () => {
    const { receiver, emu, stripe } = await setup();
    emu.setDeliveryMode({ duplicates: true });
    await stripe.customers.create({ email: 'dup@example.com' });
    await emu.flushWebhooks();
    const ids = receiver.events().map((e) => e.id);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  it('shuffles the delivery order and holds deliveries with delayMs until flushed (via the HTTP control API)', async () => {
    const { receiver, emu, stripe } = await setup();
    await control(emu, 'webhooks/mode', { shuffle: true, seed: 7, delayMs: 60_000 });
    const created: string[] = [];
    for (let i = 0; i < 8; i++) created.push((await stripe.products.create({ name: `P${i}` })).id);
    expect(receiver.received).toHaveLength(0);
    await control(emu, 'webhooks/flush', {});
    const delivered = receiver.events().map((e) => e.data.object.id);
    expect([...delivered].sort()).toEqual([...created].sort());
    expect(delivered).not.toEqual(created);
    const log = (await control(emu, 'webhooks/deliveries')) as { data: Array<{ ok: boolean }> };
    expect(log.data).toHaveLength(8);

    await control(emu, 'webhooks/mode', { shuffle: false, delayMs: 0 });
    receiver.received.length = 0;
    const ordered: string[] = [];
    for (let i = 0; i < 4; i++) ordered.push((await stripe.products.create({ name: `Q${i}` })).id);
    await emu.flushWebhooks();
    expect(receiver.events().map((e) => e.data.object.id)).toEqual(ordered);
  });

  it('includes previous_attributes on updates and the emulator version on every event', async () => {
    const { receiver, emu, stripe } = await setup();
    const product = await stripe.products.create({ name: 'Before', metadata: { a: '1' } });
    await stripe.products.update(product.id, { name: 'After' });
    await emu.flushWebhooks();
    const updated = receiver.received
      .map((r) => stripe.webhooks.constructEvent(r.body, String(r.headers['stripe-signature']), SECRET))
      .find((e) => e.type === 'product.updated');
    expect(updated?.data.previous_attributes).toMatchObject({ name: 'Before' });
    expect((updated?.data.object as Stripe.Product | undefined)?.name).toBe('After');
  });
});
