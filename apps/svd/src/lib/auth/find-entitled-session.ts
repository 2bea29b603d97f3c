import { entitlementInputColumns, entitlementSubscriptionOf, schema, type TDatabase } from '@omg/db';
import { sql } from 'drizzle-orm';
import {
  type TVaultStatus,
  usageSince,
  vaultStatusOf,
  vaultUsageColumns,
} from '../entitlements/get-vault-status';
import { selectSvdSession, sessionTokenHash, svdSessionOf, type TSvdSession } from './session';

export interface TEntitledSession extends TSvdSession {
  /**
   * getVaultStatus of the space the session shows: the team's while the user is a member of it (`team`), else the
   * person's (a personal launch, or a removed member, whom spaceOf refuses before any team data).
   */
  status: TVaultStatus;
}

/**
 * The session behind a cookie value and its space's status in ONE statement (issue 13): findSvdSession's read
 * (Hub-session liveness, expiry, the membership as it is now) with the entitlement's inputs (the same columns the
 * console and getVaultStatus read, @omg/db) and the usage sums for the space its row names — one round trip for
 * an entitled request instead of two one after the other. A dead session is deleted as findSvdSession does.
 */
export async function findEntitledSession(
  db: TDatabase,
  token: string | undefined,
  now = new Date(),
): Promise<TEntitledSession | null> {
  if (!token) return null;
  const [row] = await entitledSessionStatement(db).execute({
    tokenHash: sessionTokenHash(token),
    now: now.toISOString(),
    since: usageSince(now),
  });
  const session = await svdSessionOf(db, row, now);
  if (!session || !row) return null;
  return { ...session, status: vaultStatusOf(row, session.team !== null, now) };
}

function prepareEntitledSession(db: TDatabase) {
  // The space as columns of the session's row: the organization only while the membership holds (the join
  // finds no organization for a removed member), so the row decides between the team's and the person's status.
  const owner = { userId: schema.svdSession.userId, organizationId: schema.organization.id };
  const now = sql.placeholder('now');
  // The profile is the session's own join (selectSvdSession), on the same user the inputs' profile is joined on.
  return selectSvdSession(
    db,
    { tokenHash: sql.placeholder('tokenHash'), now },
    { ...entitlementInputColumns(owner, now), ...vaultUsageColumns(owner, sql.placeholder('since')) },
  )
    .leftJoin(schema.subscription, entitlementSubscriptionOf(owner))
    .prepare('svd_entitled_session');
}

/**
 * Built once per database handle and prepared under a name: drizzle builds the SQL once, and each connection
 * parses it once and may keep its plan (PostgreSQL's plan cache) — this runs on every entitled request and page.
 */
const statements = new WeakMap<TDatabase, ReturnType<typeof prepareEntitledSession>>();
function entitledSessionStatement(db: TDatabase) {
  let statement = statements.get(db);
  if (!statement) {
    statement = prepareEntitledSession(db);
    statements.set(db, statement);
  }
  return statement;
}
