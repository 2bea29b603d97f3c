/** Runs once when the server starts (Node.js runtime only): a bad environment stops the app with a clear message. */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { exitOnInvalidEnvironment } = await import('@omg/platform');
    const { env } = await import('./lib/env');
    const { logger } = await import('./lib/logger');
    exitOnInvalidEnvironment(env, logger);
    // Every request is stamped with its client's address before Next.js sees it (the socket is known only here).
    const { recordClientAddresses } = await import('@omg/platform/client-address-recorder');
    recordClientAddresses({ hops: env().TRUSTED_PROXY_HOPS });
  }
}
