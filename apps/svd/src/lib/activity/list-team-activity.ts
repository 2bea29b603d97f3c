import { schema, type TDatabase } from '@omg/db';
import { ZPlainTextSchema } from '@omg/platform';
import { and, desc, eq, gte, ilike, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';

export const TEAM_ACTIONS = [
  'upload',
  'download',
  'rename',
  'move',
  'delete',
  'create_vault',
  'rename_vault',
  'delete_vault',
  'create_folder',
  'rename_folder',
  'move_folder',
  'restore',
  'delete_permanently',
  'empty_trash',
  'new_version',
  'restore_version',
  'share_create',
  'share_revoke',
  'share_use',
  'limit_vault',
  'open_vault',
] as const;

const ZDaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Give dates as YYYY-MM-DD.')
  // A date that does not exist (2026-02-30) would roll over into the next month: refused, not reinterpreted.
  .refine((day) => {
    const parsed = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === day;
  }, 'That date does not exist.');

/** The log's filters (the page's form and the CSV link carry the same query). Days are UTC, `to` included. */
export const ZTeamActivityQuerySchema = z.object({
  action: z.enum(TEAM_ACTIONS).optional(),
  userId: z.string().min(1).max(200).optional(),
  from: ZDaySchema.optional(),
  to: ZDaySchema.optional(),
  q: ZPlainTextSchema.trim().max(200, 'Search at most 200 characters.').optional(),
  format: z.enum(['json', 'csv']).default('json'),
});
export type TTeamActivityQuery = z.infer<typeof ZTeamActivityQuerySchema>;

export interface TTeamActivityEntry {
  id: string;
  createdAt: string;
  userId: string;
  email: string | null;
  action: (typeof TEAM_ACTIONS)[number];
  subject: string;
  documentId: string | null;
  vaultId: string | null;
  /** What else the entry records: a rename's former name, a move's from/to, the members a vault was limited to… */
  details: Record<string, string> | null;
  ipAddress: string | null;
}

/** At most this many entries per answer (newest first); narrower filters reach further back. */
export const ACTIVITY_LIMIT = 5_000;

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The team's activity log, newest first, filtered; who did it named by their email (core."User"). */
export async function listTeamActivity(
  db: TDatabase,
  organizationId: string,
  query: Omit<TTeamActivityQuery, 'format'>,
): Promise<TTeamActivityEntry[]> {
  const a = schema.teamActivity;
  const u = schema.user;
  const filters: SQL[] = [eq(a.organizationId, organizationId)];
  if (query.action) filters.push(eq(a.action, query.action));
  if (query.userId) filters.push(eq(a.userId, query.userId));
  if (query.from) filters.push(gte(a.createdAt, new Date(`${query.from}T00:00:00Z`)));
  if (query.to) filters.push(lt(a.createdAt, new Date(Date.parse(`${query.to}T00:00:00Z`) + 86_400_000)));
  if (query.q) filters.push(ilike(a.subject, `%${escapeLike(query.q)}%`));
  const rows = await db
    .select({
      id: a.id,
      createdAt: a.createdAt,
      userId: a.userId,
      email: u.email,
      action: a.action,
      subject: a.subject,
      documentId: a.documentId,
      vaultId: a.vaultId,
      details: a.details,
      ipAddress: a.ipAddress,
    })
    .from(a)
    .leftJoin(u, eq(u.id, a.userId))
    .where(and(...filters))
    .orderBy(desc(a.createdAt), desc(a.id))
    .limit(ACTIVITY_LIMIT);
  return rows.map((row) => ({
    ...row,
    createdAt: row.createdAt.toISOString(),
    action: row.action as TTeamActivityEntry['action'],
  }));
}
