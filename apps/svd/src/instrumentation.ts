/** Runs once when the server starts (Node.js runtime only): a bad environment stops the app with a clear message. */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { exitOnInvalidEnvironment } = await import('@omg/platform');
    const { env } = await import('./lib/env');
    const { logger } = await import('./lib/logger');
    exitOnInvalidEnvironment(env, logger);
  }
}
