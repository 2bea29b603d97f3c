import type { AddressInfo } from 'node:net';
import { completeCheckout } from './billing/checkout';
import type { DunningPolicy } from './config';
import { type ApiFaults, Emulator } from './core';
import { advanceClock, setFaults } from './http/control';
import { createEmulatorServer } from './server';
import type { DeliveryMode, DeliveryRecord, RetryPolicy } from './webhooks';

export { API_VERSION } from './config';
export { signPayload } from './webhooks';
export type { ApiFaults, DeliveryMode, DeliveryRecord, DunningPolicy, RetryPolicy };

export interface StripeEmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Always loopback unless you mean otherwise. */
  host?: string;
  /** JSON file that keeps state across restarts. */
  persistPath?: string;
  /** Endpoints that receive every event (or only `events`), signed with `secret`. */
  webhooks?: Array<{ url: string; secret: string; events?: string[] }>;
  /** When set, only this secret key is accepted; otherwise any `sk_test_…` key is. */
  apiKey?: string;
  /** Base of the hosted page URLs handed out (`session.url`), when the browser reaches the emulator elsewhere. */
  publicBaseUrl?: string;
  /** Renewal retries and what happens after the last one fails. */
  dunning?: Partial<DunningPolicy>;
  /** Webhook retry back-off; keep `baseDelayMs` small in tests. */
  webhookRetry?: Partial<RetryPolicy>;
  /** Drill switches from the start (a slow or failing Stripe); off by default. */
  faults?: Partial<ApiFaults>;
}

export interface StripeEmulator {
  url: string;
  host: string;
  port: number;
  protocol: 'http';
  /** Spread into the SDK's config: `new Stripe(key, { ...emulator.stripe() })`. */
  stripe(): { host: string; port: number; protocol: 'http' };
  /** The emulator's core, for assertions that the API cannot make. */
  emulator: Emulator;
  now(): number;
  /** Moves emulated time forward and runs renewals, trial ends, retries and expiries that fell due. */
  advanceClock(seconds: number): { now: number; ran: number };
  setDeliveryMode(mode: Partial<DeliveryMode>): DeliveryMode;
  /** Drill switches for the API: hold every answer back `latencyMs`, or answer 503 (`unavailable`). */
  setFaults(faults: Partial<ApiFaults>): ApiFaults;
  /** Resolves when every queued webhook delivery (including retries) has finished. */
  flushWebhooks(): Promise<void>;
  deliveries(): DeliveryRecord[];
  /** What clicking "Pay" on the hosted checkout page does, without a browser. */
  completeCheckout(sessionId: string, input?: { card?: string; email?: string; name?: string }): unknown;
  reset(): void;
  close(): Promise<void>;
}

export async function startStripeEmulator(options: StripeEmulatorOptions = {}): Promise<StripeEmulator> {
  const host = options.host ?? '127.0.0.1';
  let core: Emulator | null = null;
  const server = createEmulatorServer(() => {
    if (!core) throw new Error('emulator not ready');
    return core;
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  const emulator = new Emulator({
    persistPath: options.persistPath,
    webhooks: options.webhooks,
    apiKey: options.apiKey,
    publicBaseUrl: (options.publicBaseUrl ?? url).replace(/\/$/, ''),
    dunning: options.dunning,
    webhookRetry: options.webhookRetry,
  });
  if (options.faults) setFaults(emulator, { ...options.faults });
  // Stripe keeps retrying across an outage: deliveries owed when this state was last stopped go out again.
  emulator.resumeDeliveries();
  core = emulator;
  return {
    url,
    host,
    port,
    protocol: 'http',
    stripe: () => ({ host, port, protocol: 'http' }),
    emulator,
    now: () => emulator.now(),
    advanceClock: (seconds) => advanceClock(emulator, seconds),
    setDeliveryMode: (mode) => emulator.webhooks.setMode(mode),
    setFaults: (faults) => setFaults(emulator, { ...faults }),
    flushWebhooks: () => emulator.webhooks.flush(),
    deliveries: () => [...emulator.webhooks.log],
    completeCheckout: (sessionId, input = {}) => {
      const session = completeCheckout(emulator, sessionId, {
        email: input.email,
        name: input.name,
        card: { number: input.card ?? '4242424242424242', expMonth: 12, expYear: 2034, cvc: '123' },
      });
      emulator.save();
      return session;
    },
    reset: () => emulator.reset(),
    close: async () => {
      emulator.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
