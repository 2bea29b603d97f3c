import pino from 'pino';

/** JSON lines on stdout; every line about a request carries its `requestId`. */
export function createLogger(service: string) {
  return pino({
    base: { service },
    level: process.env.LOG_LEVEL ?? 'info',
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization'],
      censor: '[redacted]',
    },
  });
}

export type TLogger = ReturnType<typeof createLogger>;
