import { randomUUID } from 'node:crypto';
import { SVD_APP_ID } from '@omg/contract';
import type { TDatabase } from '@omg/db';
// Relative imports only: `npm run svd:migrate` runs this outside Next.js (through maintenance.ts).
import { accountTypeOf, changedColumns, migratedValues } from './migrated-values';
import type { TMigrationRowResult } from './migration.types';
import type { TSvdExportRow } from './svd-export-row';

interface TLineResult {
  userId: string;
  created: boolean;
  existing: Record<string, unknown> | null;
}
/** node-postgres's pool and client, reached through drizzle: only they send several statements at once. */
interface TPoolClient {
  query(text: string): Promise<{ rows: TLineResult[] } | Array<{ rows: TLineResult[] }>>;
  release(destroy?: boolean): void;
}
interface TPool {
  connect(): Promise<TPoolClient>;
  query(text: string, values: unknown[]): Promise<{ rows: Array<{ id: string }> }>;
}

/**
 * One line without Stripe ids as one statement (so one transaction), prepared once per connection: it inserts the
 * user and their subscription when the email is new, and otherwise returns what the Hub has for that email (the
 * user, and their SecureVault row as JSON, if any) without writing anything. Every part of a WITH sees the same
 * snapshot. Parameters: user id, email, name, account type, now, subscription id, app id, plan, price in cents.
 */
const PREPARE = `PREPARE svd_migrate_line(text, text, text, text, timestamp, text, text, text, integer) AS
  WITH found AS (
    SELECT u.id AS "userId", (SELECT row_to_json(s) FROM hub."Subscription" s
                              WHERE s."userId" = u.id AND s."appId" = $7) AS existing
    FROM core."User" u
    WHERE lower(u.email) = $2
  ), new_user AS (
    INSERT INTO core."User" (id, email, name, "accountType", "emailVerified", "createdAt", "updatedAt")
    SELECT $1, $2, $3, $4, false, $5, $5
    WHERE NOT EXISTS (SELECT 1 FROM found)
    ON CONFLICT DO NOTHING
    RETURNING id
  ), new_subscription AS (
    INSERT INTO hub."Subscription" (id, "userId", "appId", plan, status, "cancelAtPeriodEnd",
      "grandfatheredPriceCents", source, "migratedAt", "createdAt", "updatedAt")
    SELECT $6, id, $7, $8, 'active', false, $9, 'svd_direct_migration', $5, $5, $5
    FROM new_user
    RETURNING "userId"
  )
  SELECT "userId", true AS created, NULL::json AS existing FROM new_subscription
  UNION ALL
  SELECT "userId", false AS created, existing FROM found`;

/** Connections that have the statement prepared (a prepared statement lives as long as its connection). */
const prepared = new WeakSet<object>();

/**
 * PostgreSQL's string literal, as node-postgres's own escapeLiteral writes it: quotes doubled, and with a
 * backslash present, backslashes doubled in an E'' string. (The values are the export's validated cells.)
 */
function literal(value: string): string {
  let hasBackslash = false;
  let out = "'";
  for (const c of value) {
    if (c === "'") out += "''";
    else if (c === '\\') {
      out += '\\\\';
      hasBackslash = true;
    } else out += c;
  }
  return hasBackslash ? ` E${out}'` : `${out}'`;
}

/**
 * Lines without Stripe ids, sent to PostgreSQL in one round trip while each line stays its own transaction
 * (`BEGIN; EXECUTE …; COMMIT;` one after another in one simple query, the statement planned once per connection):
 * on two busy cores the round trips, not the inserts, are most of what a line costs. Per line: `created` (a new
 * customer), `unchanged` (already migrated exactly so), or null — a known user without that row, a row that
 * differs, or a batch that failed — for the caller's general path, which compares and writes in its own
 * transaction. After a failure, the lines whose new user exists committed before it and are reported `created`.
 */
export async function migrateSimpleLines(
  db: TDatabase,
  lines: ReadonlyArray<{ line: number; row: TSvdExportRow }>,
): Promise<Array<TMigrationRowResult | null>> {
  const pool = (db as unknown as { $client?: TPool }).$client;
  if (!pool?.connect || lines.length === 0) return lines.map(() => null);
  // As drizzle writes a timestamp column: UTC wall time, whatever the process's time zone.
  const now = literal(new Date().toISOString());
  const planned = lines.map(({ line, row }) => {
    const userId = randomUUID();
    const args = [
      literal(userId),
      literal(row.email),
      literal(row.name),
      literal(accountTypeOf(row.plan)),
      now,
      literal(randomUUID()),
      literal(SVD_APP_ID),
      literal(row.plan),
      String(row.monthlyPriceCents),
    ];
    const base = {
      line,
      email: row.email,
      plan: row.plan,
      status: 'active',
      grandfatheredPriceCents: row.monthlyPriceCents,
      stripeSubscriptionId: null,
    };
    return { row, userId, execute: `BEGIN; EXECUTE svd_migrate_line(${args.join(', ')}); COMMIT;`, base };
  });

  const client = await pool.connect();
  const prepare = prepared.has(client) ? '' : `${PREPARE};\n`;
  let results: Array<{ rows: TLineResult[] }>;
  try {
    const answer = await client.query(prepare + planned.map((p) => p.execute).join('\n'));
    prepared.add(client);
    results = (Array.isArray(answer) ? answer : [answer]).slice(prepare ? 1 : 0);
  } catch {
    // The statement that failed left its transaction open and the rest unsent: the connection is discarded (its
    // open transaction rolls back, and no prepared statement is left half-known), then the lines that committed
    // before the failure are found by the user ids they were to create.
    client.release(true);
    const committed = await pool.query('SELECT id FROM core."User" WHERE id = ANY($1::text[])', [
      planned.map((p) => p.userId),
    ]);
    const created = new Set(committed.rows.map((r) => r.id));
    return planned.map((p) =>
      created.has(p.userId) ? { ...p.base, outcome: 'created', userId: p.userId, userCreated: true } : null,
    );
  }
  client.release();

  return planned.map((p, index) => {
    // Three results per line: BEGIN, EXECUTE, COMMIT.
    const [found] = results[index * 3 + 1]?.rows ?? [];
    if (!found) return null;
    if (found.created) return { ...p.base, outcome: 'created', userId: found.userId, userCreated: true };
    // JSON has timestamps as text; with no Stripe ids every compared timestamp is expected to be null, so a
    // timestamp present in the row counts as a change either way.
    const { existing } = found;
    if (!existing || changedColumns(existing, migratedValues(p.row, null, null)).length > 0) return null;
    return { ...p.base, outcome: 'unchanged', userId: found.userId, userCreated: false };
  });
}
