import { ORGANIZATION_ROLES } from '@omg/contract';
import { z } from 'zod';

/** The body of `PUT /api/vaults/[id]/access`: everyone in the team, or only the listed members. */
export const ZVaultAccessInputSchema = z.discriminatedUnion('restricted', [
  z.object({ restricted: z.literal(false) }),
  z.object({
    restricted: z.literal(true),
    userIds: z.array(z.string().min(1).max(200)).max(500),
  }),
]);
export type TVaultAccessInput = z.infer<typeof ZVaultAccessInputSchema>;

export const ZVaultAccessMemberSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(ORGANIZATION_ROLES),
  /** Owners and admins see every vault whatever the list says. */
  alwaysSees: z.boolean(),
  /** Whether the member sees the vault now. */
  allowed: z.boolean(),
});

/** What `GET /api/vaults/[id]/access` answers (and PUT, after the change). */
export const ZVaultAccessSchema = z.object({
  vaultId: z.string(),
  vaultName: z.string(),
  restricted: z.boolean(),
  members: z.array(ZVaultAccessMemberSchema),
});
export type TVaultAccess = z.infer<typeof ZVaultAccessSchema>;
