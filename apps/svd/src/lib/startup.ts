import { env } from './env';
import { logger } from './logger';

/** A bad environment stops SecureVault Docs at once, with a message naming each variable. */
export function checkEnvironmentAtStartup(): void {
  try {
    env();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.fatal(message);
    console.error(message);
    process.exit(1);
  }
}
