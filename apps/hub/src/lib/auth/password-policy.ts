import { z } from 'zod';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

/** The rules as the sign-up form states them; the server enforces the same schema. */
export const PASSWORD_RULES = [
  `At least ${PASSWORD_MIN_LENGTH} characters`,
  'At least one letter',
  'At least one number',
] as const;

export const ZPasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`)
  .regex(/\p{L}/u, 'Include at least one letter.')
  .regex(/\p{N}/u, 'Include at least one number.');

/** Returns why a password is too weak, or null when it passes every rule. */
export function passwordProblem(password: string): string | null {
  const result = ZPasswordSchema.safeParse(password);
  return result.success ? null : `Password too weak: ${result.error.issues.map((i) => i.message).join(' ')}`;
}
