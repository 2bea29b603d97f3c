import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { ZPasskeyNameSchema } from './passkey-response-schemas';

/** The body of POST /api/auth/passkey/rename. */
export const ZRenamePasskeySchema = z.object({ id: z.string().max(100), name: ZPasskeyNameSchema });
export type TRenamePasskey = z.infer<typeof ZRenamePasskeySchema>;

/** Renames one of the account's own passkeys; another account's (or an unknown id) is not found. */
export async function renamePasskey(
  database: TDatabase,
  userId: string,
  input: TRenamePasskey,
): Promise<void> {
  const renamed = await database
    .update(schema.passkey)
    .set({ name: input.name })
    .where(and(eq(schema.passkey.id, input.id), eq(schema.passkey.userId, userId)))
    .returning({ id: schema.passkey.id });
  if (renamed.length === 0) {
    throw new AppError('NOT_FOUND', 'This passkey no longer exists. Reload the page.', {
      details: { reason: 'PASSKEY_NOT_FOUND' },
    });
  }
}
