import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';

/** `/api/vaults/[id]`: a vault id that is not even a UUID is as missing as one that does not exist. */
export const ZVaultParamsSchema = z.object({ id: z.string().uuid('That vault does not exist.') });

/** The user's vault by id; another user's vault is indistinguishable from a missing one. */
export async function findVault(db: TDatabase, { userId, vaultId }: { userId: string; vaultId: string }) {
  const [row] = await db
    .select()
    .from(schema.vault)
    .where(and(eq(schema.vault.id, vaultId), eq(schema.vault.userId, userId)));
  if (!row) throw new AppError('NOT_FOUND', 'That vault does not exist.');
  return row;
}
