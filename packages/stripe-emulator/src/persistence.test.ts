import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Stripe from 'stripe';
import { afterAll, describe, expect, it } from 'vitest';
import { API_KEY, DAY, startEmulator, startReceiver } from './test/helpers';

const dir = mkdtempSync(join(tmpdir(), 'stripe-emulator-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('running it', () => {
  it('keeps state and emulated time across restarts with persistPath, and resets on demand', async () => {
    const persistPath = join(dir, 'state.json');
    const first = await startEmulator({ persistPath });
    const customer = await first.stripe.customers.create({ email: 'persist@example.com' });
    first.emu.advanceClock(10 * DAY);
    const now = first.emu.now();
    await first.emu.close();

    const second = await startEmulator({ persistPath });
    try {
      const again = (await second.stripe.customers.retrieve(customer.id)) as Stripe.Customer;
      expect(again.email).toBe('persist@example.com');
      expect(second.emu.now()).toBeGreaterThanOrEqual(now);
      const reset = await fetch(`${second.emu.url}/_emulator/reset`, { method: 'POST' });
      expect(reset.status).toBe(200);
      await expect(second.stripe.customers.retrieve(customer.id)).rejects.toBeInstanceOf(
        Stripe.errors.StripeInvalidRequestError,
      );
    } finally {
      await second.emu.close();
    }
  });

  it('starts standalone from src/cli.ts, configured by the environment', async () => {
    const receiver = await startReceiver();
    const tsx = resolve(__dirname, '../../../node_modules/.bin/tsx');
    const child = spawn(tsx, [resolve(__dirname, 'cli.ts')], {
      env: {
        ...process.env,
        STRIPE_EMULATOR_PORT: '0',
        STRIPE_EMULATOR_DATA: '',
        STRIPE_EMULATOR_API_KEY: API_KEY,
        STRIPE_EMULATOR_WEBHOOK_URL: receiver.url,
        STRIPE_WEBHOOK_SECRET: 'whsec_cli',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const port = await new Promise<number>((ready, fail) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
          if (m) ready(Number(m[1]));
        });
        child.once('exit', (code) => fail(new Error(`cli exited with ${code}: ${out}`)));
      });
      const stripe = new Stripe(API_KEY, { host: '127.0.0.1', port, protocol: 'http', telemetry: false });
      const product = await stripe.products.create({ name: 'Standalone' });
      expect(product.id).toMatch(/^prod_/);
      const other = new Stripe('sk_test_other', {
        host: '127.0.0.1',
        port,
        protocol: 'http',
        telemetry: false,
      });
      await expect(other.products.list()).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);

      const flushed = await fetch(`http://127.0.0.1:${port}/_emulator/webhooks/flush`, { method: 'POST' });
      expect(flushed.status).toBe(200);
      const delivery = receiver.received[0];
      const event = stripe.webhooks.constructEvent(
        delivery?.body ?? '',
        String(delivery?.headers['stripe-signature']),
        'whsec_cli',
      );
      expect(event.type).toBe('product.created');
    } finally {
      child.kill('SIGTERM');
      await receiver.close();
    }
  }, 20_000);
});
