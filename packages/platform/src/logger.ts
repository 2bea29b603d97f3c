import pino from 'pino';

/**
 * JSON lines on stdout; every line about a request carries its `requestId`, and with several instances of an app
 * (INSTANCE_NAME, set by whoever starts them: hub-1, svd-2 …) the instance that wrote it.
 */
export function createLogger(service: string) {
  const instance = process.env.INSTANCE_NAME;
  return pino({
    base: instance ? { service, instance } : { service },
    level: process.env.LOG_LEVEL ?? 'info',
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization'],
      censor: '[redacted]',
    },
  });
}

export type TLogger = ReturnType<typeof createLogger>;
