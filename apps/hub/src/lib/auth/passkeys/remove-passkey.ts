import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';

/** The body of POST /api/auth/passkey/remove. */
export const ZRemovePasskeySchema = z.object({ id: z.string().max(100) });
export type TRemovePasskey = z.infer<typeof ZRemovePasskeySchema>;

/**
 * Removes one of the account's own passkeys: it signs in nowhere from now on (the authenticator may still offer
 * it; the Hub then says it is not registered). Sessions it opened stay, like a password change's own session.
 */
export async function removePasskey(
  database: TDatabase,
  userId: string,
  input: TRemovePasskey,
): Promise<void> {
  const removed = await database
    .delete(schema.passkey)
    .where(and(eq(schema.passkey.id, input.id), eq(schema.passkey.userId, userId)))
    .returning({ id: schema.passkey.id });
  if (removed.length === 0) {
    throw new AppError('NOT_FOUND', 'This passkey no longer exists. Reload the page.', {
      details: { reason: 'PASSKEY_NOT_FOUND' },
    });
  }
}
