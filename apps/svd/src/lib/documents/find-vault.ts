import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { type TSpace, vaultsOf } from '../spaces/space';

/** `/api/vaults/[id]`: a vault id that is not even a UUID is as missing as one that does not exist. */
export const ZVaultParamsSchema = z.object({ id: z.string().uuid('That vault does not exist.') });

/**
 * The space's vault by id (the user's own, or their team's); another user's or another team's vault — and a team
 * vault asked for from the personal space — is indistinguishable from a missing one.
 */
export async function findVault(db: TDatabase, input: TSpace & { vaultId: string }) {
  const [row] = await db
    .select()
    .from(schema.vault)
    .where(and(eq(schema.vault.id, input.vaultId), vaultsOf(input)));
  if (!row) throw new AppError('NOT_FOUND', 'That vault does not exist.');
  return row;
}
