import type { TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { isAPIError } from 'better-auth/api';
import { z } from 'zod';
import { auth } from '../auth/auth';
import { PASSWORD_MAX_LENGTH } from '../auth/password-policy';
import { consumeRateLimit } from '../rate-limit/consume-rate-limit';
import { retryPhrase } from '../rate-limit/rate-limited-response';
import { recordStaffCheck, type TStaff } from './require-staff';

export const ZConfirmStaffPasswordSchema = z.object({
  password: z.string().min(1, 'Enter your password.').max(PASSWORD_MAX_LENGTH, 'That password is incorrect.'),
});
export type TConfirmStaffPassword = z.infer<typeof ZConfirmStaffPasswordSchema>;

/** Per staff member: a stolen staff session cannot guess the password at leisure. */
export const CONFIRM_STAFF_PASSWORD_LIMIT = {
  name: 'staff-confirm',
  limit: 10,
  windowSeconds: 15 * 60,
} as const;

/**
 * The password check behind /admin/confirm: better-auth's verifyPassword for this session's user, then the time
 * is recorded on the session's core."Verification" row (recordStaffCheck), which requireStaff reads.
 */
export async function confirmStaffPassword(
  database: TDatabase,
  headers: Headers,
  staff: TStaff,
  input: TConfirmStaffPassword,
): Promise<void> {
  const counted = await consumeRateLimit(database, CONFIRM_STAFF_PASSWORD_LIMIT, staff.userId);
  if (!counted.allowed) {
    throw new AppError(
      'RATE_LIMITED',
      `Too many password attempts. Please try again ${retryPhrase(counted.retryAfterSeconds)}.`,
      { details: { retryAfterSeconds: counted.retryAfterSeconds } },
    );
  }
  try {
    await auth().api.verifyPassword({ body: { password: input.password }, headers });
  } catch (error) {
    // better-auth has two APIError classes (its own and better-call's), and a production bundle may hold copies of
    // each, so `instanceof` misses; the code tells a wrong password from an account without one.
    if (isAPIError(error)) {
      const code = (error as { body?: { code?: unknown } }).body?.code;
      if (code === 'CREDENTIAL_ACCOUNT_NOT_FOUND') {
        throw new AppError('CONFLICT', 'This account has no password. Set one on the Account page first.');
      }
      throw new AppError('BAD_REQUEST', 'That password is incorrect.', { details: { field: 'password' } });
    }
    throw error;
  }
  const session = await auth().api.getSession({ headers });
  if (!session) throw new AppError('NOT_FOUND', 'This page could not be found.');
  await recordStaffCheck(database, {
    id: session.session.id,
    userId: session.user.id,
    expiresAt: new Date(session.session.expiresAt),
  });
}
