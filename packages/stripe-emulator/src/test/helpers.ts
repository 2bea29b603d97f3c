import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { type StripeEmulator, type StripeEmulatorOptions, startStripeEmulator } from '../index';

export const API_KEY = 'sk_test_emulator_123456789';

export async function startEmulator(
  options: StripeEmulatorOptions = {},
): Promise<{ emu: StripeEmulator; stripe: Stripe }> {
  const emu = await startStripeEmulator({
    webhookRetry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 4 },
    ...options,
  });
  return { emu, stripe: stripeClient(emu) };
}

export function stripeClient(emu: StripeEmulator, key = API_KEY): Stripe {
  return new Stripe(key, { ...emu.stripe(), telemetry: false, maxNetworkRetries: 0 });
}

export interface Received {
  body: string;
  headers: IncomingHttpHeaders;
}

/** A webhook receiver on loopback; `respond` decides the status of each delivery. */
export async function startReceiver(respond: (n: number, body: string) => number = () => 200) {
  const received: Received[] = [];
  let count = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      count += 1;
      const status = respond(count, body);
      if (status >= 200 && status < 300) received.push({ body, headers: req.headers });
      res.writeHead(status);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    received,
    attempts: () => count,
    events: () =>
      received.map(
        (r) => JSON.parse(r.body) as { id: string; type: string; data: { object: { id: string } } },
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Catalog {
  product: Stripe.Product;
  monthly: Stripe.Price;
  yearly: Stripe.Price;
  team: Stripe.Price;
}

/** A product with a cheap monthly plan, a yearly plan and a pricier monthly plan, as the Hub's catalog sync would create. */
export async function createCatalog(stripe: Stripe, prefix = 'pro'): Promise<Catalog> {
  const product = await stripe.products.create({ name: 'Pro plan', metadata: { app: 'hub' } });
  const monthly = await stripe.prices.create({
    product: product.id,
    currency: 'usd',
    unit_amount: 1000,
    recurring: { interval: 'month' },
    lookup_key: `${prefix}_monthly`,
  });
  const yearly = await stripe.prices.create({
    product: product.id,
    currency: 'usd',
    unit_amount: 10000,
    recurring: { interval: 'year' },
    lookup_key: `${prefix}_yearly`,
  });
  const team = await stripe.prices.create({
    product: product.id,
    currency: 'usd',
    unit_amount: 3000,
    recurring: { interval: 'month' },
    lookup_key: `${prefix}_team_monthly`,
  });
  return { product, monthly, yearly, team };
}

/** Submits the hosted checkout form as a browser would (no redirects followed). */
export async function submitCheckout(
  url: string,
  fields: { email?: string; cardNumber: string; cardExpiry?: string; cardCvc?: string },
): Promise<Response> {
  const form = new URLSearchParams({
    email: fields.email ?? '',
    cardNumber: fields.cardNumber,
    cardExpiry: fields.cardExpiry ?? '12 / 34',
    cardCvc: fields.cardCvc ?? '123',
    cardName: 'Test Customer',
  });
  return fetch(url, {
    method: 'POST',
    body: form,
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

export const DAY = 86_400;
