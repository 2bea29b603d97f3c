import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import type { StripeEmulator } from './index';
import { API_KEY, startEmulator, startReceiver, stripeClient } from './test/helpers';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setup(options: Parameters<typeof startEmulator>[0] = {}) {
  const started = await startEmulator(options);
  cleanups.push(() => started.emu.close());
  return started;
}

async function control(emu: StripeEmulator, path: string, body?: unknown) {
  const res = await fetch(`${emu.url}/_emulator/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function elapsed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

describe('outage drill switches', () => {
  it('are off by default, and hold every API answer back by latencyMs (the control API stays prompt)', async () => {
    const { emu, stripe } = await setup();
    expect((await control(emu, 'faults')).body).toEqual({ latencyMs: 0, unavailable: false });
    expect((await control(emu, 'faults', { latencyMs: 400 })).body).toEqual({
      latencyMs: 400,
      unavailable: false,
    });
    const slow = await elapsed(() => stripe.customers.create({ email: 'slow@example.com' }));
    expect(slow.value.email).toBe('slow@example.com');
    expect(slow.ms).toBeGreaterThanOrEqual(390);
    const health = await elapsed(() => control(emu, 'health'));
    expect(health.ms).toBeLessThan(300);
    emu.setFaults({ latencyMs: 0 });
    expect((await elapsed(() => stripe.customers.list({ limit: 1 }))).ms).toBeLessThan(300);
  });

  it('answer 503 api_error while unavailable, which the SDK reports as a StripeAPIError; reset clears them', async () => {
    const { emu, stripe } = await setup({ faults: { unavailable: true } });
    const error = await stripe.customers.create({ email: 'down@example.com' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(error).toMatchObject({ statusCode: 503, type: 'StripeAPIError' });
    await control(emu, 'reset', {});
    expect((await control(emu, 'faults')).body).toEqual({ latencyMs: 0, unavailable: false });
    await stripe.customers.create({ email: 'up@example.com' });
    expect((await stripe.customers.list({ email: 'down@example.com' })).data).toHaveLength(0);
  });

  it('do not carry out a request whose client gave up while it waited (nothing is created)', async () => {
    const { emu, stripe } = await setup();
    emu.setFaults({ latencyMs: 500 });
    const impatient = new Stripe(API_KEY, {
      ...emu.stripe(),
      telemetry: false,
      maxNetworkRetries: 0,
      timeout: 100,
    });
    const error = await impatient.customers.create({ email: 'gave-up@example.com' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    await new Promise((resolve) => setTimeout(resolve, 600));
    emu.setFaults({ latencyMs: 0 });
    expect((await stripe.customers.list({ email: 'gave-up@example.com' })).data).toHaveLength(0);
  });

  it('refuse a latency that is not a whole number of milliseconds up to 10 minutes', async () => {
    const { emu } = await setup();
    for (const latencyMs of [-1, 1.5, 600_001, 'soon']) {
      expect((await control(emu, 'faults', { latencyMs })).status).toBe(400);
    }
    expect((await control(emu, 'faults')).body).toEqual({ latencyMs: 0, unavailable: false });
  });

  it('keep owing failed deliveries across a stop: a restart on the same state retries them until accepted', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'emulator-outage-'));
    let accepting = false;
    const receiver = await startReceiver(() => (accepting ? 200 : 500));
    const options = {
      persistPath: path.join(dir, 'state.json'),
      webhooks: [{ url: receiver.url, secret: 'whsec_resume' }],
      webhookRetry: { baseDelayMs: 50, maxDelayMs: 100, maxAttempts: 50 },
    };
    const first = await startEmulator(options);
    const customer = await first.stripe.customers.create({ email: 'owed@example.com' });
    await expect.poll(() => receiver.attempts(), { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
    await first.emu.close();
    const attemptsWhileStopped = receiver.attempts();

    accepting = true;
    const second = await startEmulator({ ...options, port: first.emu.port });
    cleanups.push(
      () => second.emu.close(),
      () => receiver.close(),
      () => rm(dir, { recursive: true, force: true }),
    );
    await second.emu.flushWebhooks();
    expect(receiver.attempts()).toBeGreaterThan(attemptsWhileStopped);
    expect(receiver.events().map((e) => [e.type, e.data.object.id])).toEqual([
      ['customer.created', customer.id],
    ]);
    const [retry] = second.emu.deliveries();
    expect(retry).toMatchObject({ ok: true, status: 200 });
    expect(retry?.attempt).toBeGreaterThan(1);
    // Delivered once it was accepted: nothing is owed any more, even after another restart.
    await second.emu.close();
    const third = await startEmulator({ ...options, port: first.emu.port });
    cleanups.push(() => third.emu.close());
    await third.emu.flushWebhooks();
    expect(third.emu.deliveries()).toEqual([]);
    expect((await stripeClient(third.emu).customers.retrieve(customer.id)).id).toBe(customer.id);
  });
});
