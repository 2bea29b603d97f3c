import { startStripeEmulator } from './index';

/** Standalone server: `tsx packages/stripe-emulator/src/cli.ts`. Configuration comes from the environment only. */
async function main(): Promise<void> {
  const env = process.env;
  const port = Number(env.STRIPE_EMULATOR_PORT ?? 12111);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`STRIPE_EMULATOR_PORT must be a port number, got "${env.STRIPE_EMULATOR_PORT}"`);
  }
  const webhookUrl = env.STRIPE_EMULATOR_WEBHOOK_URL;
  const webhookSecret = env.STRIPE_WEBHOOK_SECRET;
  if (webhookUrl && !webhookSecret) {
    throw new Error('STRIPE_EMULATOR_WEBHOOK_URL is set but STRIPE_WEBHOOK_SECRET is not');
  }
  const emulator = await startStripeEmulator({
    port,
    host: env.STRIPE_EMULATOR_HOST ?? '127.0.0.1',
    persistPath: env.STRIPE_EMULATOR_DATA || undefined,
    apiKey: env.STRIPE_EMULATOR_API_KEY || undefined,
    publicBaseUrl: env.STRIPE_EMULATOR_PUBLIC_URL || undefined,
    webhooks: webhookUrl && webhookSecret ? [{ url: webhookUrl, secret: webhookSecret }] : [],
    // Drills: a slow Stripe from the start (`POST /_emulator/faults` switches it at run time too).
    faults: { latencyMs: Number(env.STRIPE_EMULATOR_LATENCY_MS || 0) },
  });
  console.log(`[stripe-emulator] listening on ${emulator.url}`);
  const { latencyMs } = emulator.emulator.faults;
  if (latencyMs > 0) console.log(`[stripe-emulator] answering every API call after ${latencyMs} ms`);
  if (webhookUrl) console.log(`[stripe-emulator] delivering webhooks to ${webhookUrl}`);
  const stop = () => {
    emulator.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('[stripe-emulator]', error instanceof Error ? error.message : error);
  process.exit(1);
});
