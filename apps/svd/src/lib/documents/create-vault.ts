import { randomUUID } from 'node:crypto';
import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { z } from 'zod';
import { isTeam, requireSpaceAction, type TSpace, vaultsOf } from '../spaces/space';
import { VAULT_NAME_TAKEN_MESSAGE, ZVaultNameSchema } from './names';

export const MAX_VAULTS = 100;

/** The body of `POST /api/vaults`; the name's own rules are ZVaultNameSchema's, applied by the operation. */
export const ZCreateVaultSchema = z.object({ name: z.string() });

/** A new vault in the space; a team's vaults are created by its owner and admins only. */
export async function createVault(db: TDatabase, input: TSpace & { name: string }) {
  requireSpaceAction(input, 'manage');
  const name = ZVaultNameSchema.parse(input.name);
  const count = await db.$count(schema.vault, vaultsOf(input));
  if (count >= MAX_VAULTS) throw new AppError('CONFLICT', `You can have at most ${MAX_VAULTS} vaults.`);
  const [row] = await db
    .insert(schema.vault)
    .values({
      id: randomUUID(),
      userId: input.userId,
      organizationId: isTeam(input) ? input.organizationId : null,
      name,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new AppError('CONFLICT', VAULT_NAME_TAKEN_MESSAGE);
  return { id: row.id, name: row.name, documentCount: 0, sizeBytes: 0 };
}
