import { schema, type TDatabase } from '@omg/db';
import { desc, eq, inArray } from 'drizzle-orm';

export interface TAuditListEntry {
  id: string;
  createdAt: Date;
  actorUserId: string;
  actorEmail: string | null;
  actorRole: string;
  action: string;
  targetUserId: string | null;
  targetEmail: string | null;
  reason: string;
  before: unknown;
  after: unknown;
}

/** The newest audit entries first, with the actor's and target's current addresses where they are users. */
export async function listAuditEntries(database: TDatabase, limit = 50): Promise<TAuditListEntry[]> {
  const actor = schema.user;
  const rows = await database
    .select({
      id: schema.auditLog.id,
      createdAt: schema.auditLog.createdAt,
      actorUserId: schema.auditLog.actorUserId,
      actorRole: schema.auditLog.actorRole,
      action: schema.auditLog.action,
      targetUserId: schema.auditLog.targetUserId,
      reason: schema.auditLog.reason,
      before: schema.auditLog.before,
      after: schema.auditLog.after,
      actorEmail: actor.email,
    })
    .from(schema.auditLog)
    .leftJoin(actor, eq(actor.id, schema.auditLog.actorUserId))
    .orderBy(desc(schema.auditLog.createdAt), desc(schema.auditLog.id))
    .limit(limit);
  const targetIds = [...new Set(rows.flatMap((r) => (r.targetUserId ? [r.targetUserId] : [])))];
  const targets = new Map(
    targetIds.length === 0
      ? []
      : (
          await database
            .select({ id: schema.user.id, email: schema.user.email })
            .from(schema.user)
            .where(inArray(schema.user.id, targetIds))
        ).map((u) => [u.id, u.email] as const),
  );
  return rows.map((r) => ({
    ...r,
    targetEmail: r.targetUserId ? (targets.get(r.targetUserId) ?? null) : null,
  }));
}
