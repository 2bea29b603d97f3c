import { entitlementInputColumns, entitlementSubscriptionOf, schema, type TDatabase } from '@omg/db';
import { type TVaultStatus, vaultStatusOf, vaultUsageColumns } from '../entitlements/get-vault-status';
import { selectSvdSession, svdSessionOf, type TSvdSession } from './session';

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
  // The space as columns of the session's row: the organization only while the membership holds (the join
  // finds no organization for a removed member), so the row decides between the team's and the person's status.
  const owner = { userId: schema.svdSession.userId, organizationId: schema.organization.id };
  // The profile is the session's own join (selectSvdSession), on the same user the inputs' profile is joined on.
  const [row] = await selectSvdSession(db, token, now, {
    ...entitlementInputColumns(owner, now),
    ...vaultUsageColumns(owner, now),
  }).leftJoin(schema.subscription, entitlementSubscriptionOf(owner));
  const session = await svdSessionOf(db, row, now);
  if (!session || !row) return null;
  return { ...session, status: vaultStatusOf(row, session.team !== null, now) };
}
