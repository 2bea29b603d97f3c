import { randomUUID } from 'node:crypto';
import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { VAULT_NAME_TAKEN_MESSAGE, ZVaultNameSchema } from './names';

export const MAX_VAULTS = 100;

/** The body of `POST /api/vaults`; the name's own rules are ZVaultNameSchema's, applied by the operation. */
export const ZCreateVaultSchema = z.object({ name: z.string() });

export async function createVault(db: TDatabase, input: { userId: string; name: string }) {
  const name = ZVaultNameSchema.parse(input.name);
  const count = await db.$count(schema.vault, eq(schema.vault.userId, input.userId));
  if (count >= MAX_VAULTS) throw new AppError('CONFLICT', `You can have at most ${MAX_VAULTS} vaults.`);
  const [row] = await db
    .insert(schema.vault)
    .values({ id: randomUUID(), userId: input.userId, name })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new AppError('CONFLICT', VAULT_NAME_TAKEN_MESSAGE);
  return { id: row.id, name: row.name, documentCount: 0, sizeBytes: 0 };
}
