import { randomUUID } from 'node:crypto';
import { schema, type TDatabase } from '@omg/db';
import { z } from 'zod';

/** One line of hub."AuditLog"; the reason is required (the table's CHECK refuses a blank one too). */
export const ZAuditEntrySchema = z.object({
  /** A staff member's user id, or 'system:cli' for the command line. */
  actorUserId: z.string().min(1),
  actorRole: z.string().min(1),
  action: z.string().min(1),
  targetUserId: z.string().min(1).nullable(),
  reason: z.string().trim().min(1, 'A reason is required.').max(1000),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  requestId: z.string().nullable().optional(),
  ipAddress: z.string().nullable().optional(),
});
export type TAuditEntry = z.input<typeof ZAuditEntrySchema>;

/**
 * Appends to the audit trail. There is deliberately no update or delete beside it: the Hub's role cannot do either
 * (applyRoleGrants). Pass the transaction of the change it records, so the change and its entry land together.
 */
export async function recordAuditEntry(
  database: Pick<TDatabase, 'insert'>,
  entry: TAuditEntry,
): Promise<string> {
  const parsed = ZAuditEntrySchema.parse(entry);
  const id = randomUUID();
  await database.insert(schema.auditLog).values({
    id,
    actorUserId: parsed.actorUserId,
    actorRole: parsed.actorRole,
    action: parsed.action,
    targetUserId: parsed.targetUserId,
    reason: parsed.reason,
    before: parsed.before ?? null,
    after: parsed.after ?? null,
    requestId: parsed.requestId ?? null,
    ipAddress: parsed.ipAddress ?? null,
  });
  return id;
}
