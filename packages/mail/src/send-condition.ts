import type { TDatabase } from '@omg/db';
import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ZColumnSchema = z.string().regex(IDENTIFIER, 'a column name (letters, digits, _)');
const ZValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/**
 * What a mail queued ahead of time announces, as a fact the worker can check when its time comes: "the row of
 * `table` picked by `where` still has the values in `equals`", and, with `before`, "it is not yet that time".
 * If the fact no longer holds (the row changed or is gone, or `before` has passed) the mail is `withdrawn`
 * instead of sent. It travels with the queued job, so every worker honours it without knowing what the mail
 * is about. Values are compared by PostgreSQL in the column's own type (`IS NOT DISTINCT FROM`, so null
 * matches null): a timestamp is given as an ISO string, so it must be one JavaScript can name (milliseconds; a
 * `now()` default keeps microseconds and would never match).
 */
export const ZSendConditionSchema = z.object({
  /** `schema.table`, readable by the worker's database role. */
  table: z.string().refine((name) => {
    const parts = name.split('.');
    return parts.length === 2 && parts.every((part) => IDENTIFIER.test(part));
  }, 'a table as schema.table'),
  where: z
    .record(ZColumnSchema, ZValueSchema)
    .refine((where) => Object.keys(where).length > 0, 'which row: at least one column'),
  equals: z.record(ZColumnSchema, ZValueSchema),
  /** Not sent at or after this moment (ISO): what it announces has happened by then. */
  before: z.iso.datetime({ offset: true }).optional(),
});
export type TSendCondition = z.infer<typeof ZSendConditionSchema>;

/** Null when the condition still holds; otherwise why the mail is withdrawn (kept on the outbox row). */
export async function checkSendCondition(
  db: TDatabase,
  condition: TSendCondition,
  now = new Date(),
): Promise<string | null> {
  if (condition.before && now >= new Date(condition.before)) {
    return `withdrawn: it was due before ${condition.before}`;
  }
  const [schemaName = '', tableName = ''] = condition.table.split('.');
  const table = sql`${sql.identifier(schemaName)}.${sql.identifier(tableName)}`;
  const columns = Object.entries(condition.equals);
  const checks: SQL[] = columns.map(
    ([column, value], i) =>
      sql`(${sql.identifier(column)} IS NOT DISTINCT FROM ${value}) AS ${sql.identifier(`c${i}`)}`,
  );
  const where = Object.entries(condition.where).map(
    ([column, value]) => sql`${sql.identifier(column)} = ${value}`,
  );
  const result = await db.execute(
    sql`SELECT ${checks.length > 0 ? sql.join(checks, sql`, `) : sql`1`} FROM ${table} WHERE ${sql.join(where, sql` AND `)} LIMIT 2`,
  );
  if (result.rows.length !== 1) {
    return `withdrawn: ${condition.table} ${JSON.stringify(condition.where)} ${result.rows.length === 0 ? 'no longer exists' : 'is not one row'}`;
  }
  const row = result.rows[0] as Record<string, boolean>;
  const changed = columns.filter((_, i) => row[`c${i}`] !== true).map(([column]) => column);
  if (changed.length === 0) return null;
  return `withdrawn: ${condition.table} ${JSON.stringify(condition.where)} changed (${changed.join(', ')})`;
}
