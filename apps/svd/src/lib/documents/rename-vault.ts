import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { findVault } from './find-vault';
import { ZVaultNameSchema } from './names';

/** The body of `PATCH /api/vaults/[id]`; the name's own rules are ZVaultNameSchema's, applied below. */
export const ZRenameVaultSchema = z.object({ name: z.string() });

export async function renameVault(db: TDatabase, input: { userId: string; vaultId: string; name: string }) {
  const name = ZVaultNameSchema.parse(input.name);
  await findVault(db, input);
  const renamed = await db
    .update(schema.vault)
    .set({ name, updatedAt: sql`now()` })
    .where(and(eq(schema.vault.id, input.vaultId), eq(schema.vault.userId, input.userId)))
    .returning()
    .catch((error: { code?: string }) => {
      if (error.code === '23505') throw new AppError('CONFLICT', `You already have a vault named “${name}”.`);
      throw error;
    });
  return { id: renamed[0]?.id ?? input.vaultId, name };
}
