import type { z } from 'zod';

export class EnvError extends Error {
  constructor(
    readonly service: string,
    readonly problems: string[],
  ) {
    super(
      `${service} cannot start; fix these environment variables:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'EnvError';
  }
}

/** Validates the environment once, naming every missing or malformed variable in one message. */
export function parseEnv<TSchema extends z.ZodType>(
  service: string,
  schema: TSchema,
  source: Record<string, string | undefined> = process.env,
): z.infer<TSchema> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const value = issue.path.length === 1 ? source[String(issue.path[0])] : undefined;
    // A custom rule (required only in production, …) says why; its message follows the name.
    if ((value === undefined || value === '') && issue.code === 'custom') return `${name} ${issue.message}`;
    return value === undefined || value === ''
      ? `${name} is missing`
      : `${name} is invalid: ${issue.message}`;
  });
  throw new EnvError(service, problems);
}

/** At server start: a bad environment stops the app at once, the message naming each variable. */
export function exitOnInvalidEnvironment(
  check: () => unknown,
  log: { fatal: (message: string) => void },
): void {
  try {
    check();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.fatal(message);
    console.error(message);
    process.exit(1);
  }
}
