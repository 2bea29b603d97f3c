import { schema, type TDatabase } from '@omg/db';
import { AppError, isUniqueViolation } from '@omg/platform';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { requireSpaceAction, type TSpace, vaultsOf } from '../spaces/space';
import { findVault } from './find-vault';
import { VAULT_NAME_TAKEN_MESSAGE, ZVaultNameSchema } from './names';

/** The body of `PATCH /api/vaults/[id]`; the name's own rules are ZVaultNameSchema's, applied below. */
export const ZRenameVaultSchema = z.object({ name: z.string() });

export async function renameVault(db: TDatabase, input: TSpace & { vaultId: string; name: string }) {
  const name = ZVaultNameSchema.parse(input.name);
  await findVault(db, input);
  requireSpaceAction(input, 'manage');
  const renamed = await db
    .update(schema.vault)
    .set({ name, updatedAt: sql`now()` })
    .where(and(eq(schema.vault.id, input.vaultId), vaultsOf(input)))
    .returning()
    .catch((error: unknown) => {
      // Drizzle wraps the driver's error: the SQLSTATE sits on `cause`, which isUniqueViolation looks through.
      if (isUniqueViolation(error)) throw new AppError('CONFLICT', VAULT_NAME_TAKEN_MESSAGE);
      throw error;
    });
  return { id: renamed[0]?.id ?? input.vaultId, name };
}
