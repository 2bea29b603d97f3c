import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { TOrganizationRole } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { and, eq, gt, type SQLWrapper } from 'drizzle-orm';
import { alias, type SelectedFields } from 'drizzle-orm/pg-core';

/** SVD sessions last at most this long, and never beyond the Hub session they came from. */
export const SVD_SESSION_MAX_AGE_SECONDS = 60 * 60 * 12;

export function sessionCookieName(secure: boolean): string {
  // The __Host- prefix pins the cookie to this exact origin over HTTPS.
  return secure ? '__Host-svd_session' : 'svd_session';
}

/** What securevault."Session" keeps of a cookie's token. */
export const sessionTokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

// core."Session" and securevault."Session" share a table name, which a join must tell apart.
const hubSession = alias(schema.session, 'hubSession');

export interface TSvdSession {
  id: string;
  userId: string;
  hubSessionId: string;
  user: { id: string; email: string; name: string | null; accountType: string };
  /** The organization a business launch opened (issue 15); null for a personal launch. */
  organizationId: string | null;
  /**
   * Read with the session on every request from core."Membership": the organization's name and the member's role
   * now. Null when the launch was personal — or when the user is no longer a member (spaceOf refuses that).
   */
  team: { organizationId: string; name: string; role: TOrganizationRole } | null;
}

/** Starts a session for a verified hand-off; returns the cookie value (only its hash is stored). */
export async function createSvdSession(
  db: TDatabase,
  input: { userId: string; hubSessionId: string; hubSessionExpiresAt: Date; organizationId?: string | null },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const cap = new Date(Date.now() + SVD_SESSION_MAX_AGE_SECONDS * 1000);
  const expiresAt = input.hubSessionExpiresAt < cap ? input.hubSessionExpiresAt : cap;
  await db.insert(schema.svdSession).values({
    id: randomUUID(),
    tokenHash: sessionTokenHash(token),
    userId: input.userId,
    hubSessionId: input.hubSessionId,
    organizationId: input.organizationId ?? null,
    expiresAt,
  });
  return { token, expiresAt };
}

/**
 * The session behind a cookie value, or null. A session whose Hub session has ended (logout, "sign out
 * everywhere", expiry) is deleted here: that is how a Hub logout reaches SVD without the user visiting it.
 */
export async function findSvdSession(
  db: TDatabase,
  token: string | undefined,
  now = new Date(),
): Promise<TSvdSession | null> {
  if (!token) return null;
  const [row] = await selectSvdSession(db, { tokenHash: sessionTokenHash(token), now }, {});
  return svdSessionOf(db, row, now);
}

/**
 * findSvdSession's statement: the session by its token's hash with its profile (`schema.userProfile`), its Hub
 * session if still alive (`hubSession`), and the member's row and organization (`schema.membership`,
 * `schema.organization`) for a team launch, by sessionTokenHash; `by` may hold a prepared statement's placeholders
 * (`now` filled with an ISO string). `extra` adds a caller's columns (and, the query being dynamic, joins) to the
 * same round trip; the row goes to svdSessionOf.
 */
export function selectSvdSession<TExtra extends SelectedFields>(
  db: TDatabase,
  by: { tokenHash: string | SQLWrapper; now: Date | SQLWrapper },
  extra: TExtra,
) {
  return (
    db
      .select({
        id: schema.svdSession.id,
        userId: schema.svdSession.userId,
        hubSessionId: schema.svdSession.hubSessionId,
        expiresAt: schema.svdSession.expiresAt,
        email: schema.userProfile.email,
        name: schema.userProfile.name,
        accountType: schema.userProfile.accountType,
        hubSessionAlive: hubSession.id,
        organizationId: schema.svdSession.organizationId,
        organizationName: schema.organization.name,
        role: schema.membership.role,
        ...extra,
      })
      .from(schema.svdSession)
      .innerJoin(schema.userProfile, eq(schema.userProfile.userId, schema.svdSession.userId))
      .leftJoin(
        hubSession,
        and(eq(hubSession.id, schema.svdSession.hubSessionId), gt(hubSession.expiresAt, by.now)),
      )
      // The member's role as it is now: a removed member has no row, a downgraded one the new role.
      .leftJoin(
        schema.membership,
        and(
          eq(schema.membership.organizationId, schema.svdSession.organizationId),
          eq(schema.membership.userId, schema.svdSession.userId),
        ),
      )
      .leftJoin(schema.organization, eq(schema.organization.id, schema.membership.organizationId))
      .where(eq(schema.svdSession.tokenHash, by.tokenHash))
      .$dynamic()
  );
}

/** The columns of selectSvdSession's row that svdSessionOf reads. */
interface TSvdSessionRow {
  id: string;
  userId: string;
  hubSessionId: string;
  expiresAt: Date;
  email: string;
  name: string | null;
  accountType: string;
  hubSessionAlive: string | null;
  organizationId: string | null;
  organizationName: string | null;
  role: string | null;
}

/** selectSvdSession's row as the session; null without one, and a dead one (Hub session ended, expired) deleted. */
export async function svdSessionOf(
  db: TDatabase,
  row: TSvdSessionRow | undefined,
  now: Date,
): Promise<TSvdSession | null> {
  if (!row) return null;
  if (!row.hubSessionAlive || row.expiresAt <= now) {
    await db.delete(schema.svdSession).where(eq(schema.svdSession.id, row.id));
    return null;
  }
  return {
    id: row.id,
    userId: row.userId,
    hubSessionId: row.hubSessionId,
    user: { id: row.userId, email: row.email, name: row.name, accountType: row.accountType },
    organizationId: row.organizationId,
    team:
      row.organizationId && row.role && row.organizationName
        ? {
            organizationId: row.organizationId,
            name: row.organizationName,
            role: row.role as TOrganizationRole,
          }
        : null,
  };
}

export async function deleteSvdSession(db: TDatabase, token: string | undefined): Promise<void> {
  if (!token) return;
  await db.delete(schema.svdSession).where(eq(schema.svdSession.tokenHash, sessionTokenHash(token)));
}
