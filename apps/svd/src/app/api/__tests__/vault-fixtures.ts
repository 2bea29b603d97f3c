import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { SVD_APP_ID, type TOrganizationRole } from '@omg/contract';
import { schema } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, seedHubSession, uniqueEmail } from '@omg/db/testing';
import { createSvdSession } from '@/lib/auth/session';
import { syncUserToDatabase } from '@/lib/auth/syncUser';

export const SVD = process.env.SVD_URL ?? 'http://localhost:3101';
export const admin = connectAs('admin');
export const hub = connectAs('hub');
export const svd = connectAs('svd');

export interface TVaultUser {
  userId: string;
  cookie: string;
}

/** Where a launched user works in SVD (issue 15): a team's space, as a member with this role. */
export interface TTeamSeat {
  organizationId: string;
  role: TOrganizationRole;
}

/**
 * A Hub user launched into SVD: profile synced, SVD session open; the cookie to send with API calls. With `team`
 * the user is made a member of that organization (core."Membership", as the Hub writes it) and the session opens
 * its team space, as a business launch does; without it, their personal space.
 */
export async function launchedUser(team?: TTeamSeat): Promise<TVaultUser> {
  const email = uniqueEmail('vault');
  const userId = await seedUser(hub.db, { email, password: 'a-password-123', name: 'Vault User' });
  const sid = await seedHubSession(hub.db, userId);
  const now = Math.floor(Date.now() / 1000);
  await syncUserToDatabase(svd.db, {
    iss: 'test',
    aud: SVD_APP_ID,
    sub: userId,
    email,
    name: 'Vault User',
    accountType: 'personal',
    sid,
    jti: randomUUID(),
    iat: now,
    exp: now + 60,
  });
  if (team) await addMember(team.organizationId, userId, team.role);
  const session = await createSvdSession(svd.db, {
    userId,
    hubSessionId: sid,
    hubSessionExpiresAt: new Date(Date.now() + 3_600_000),
    organizationId: team?.organizationId ?? null,
  });
  return { userId, cookie: `svd_session=${session.token}` };
}

/**
 * A business account as the Hub keeps it (core."Organization"), with an active SVD business subscription on
 * `plan` (none with null: the team is read-only). Returns its id.
 */
export async function createOrganization(name = 'Acme', plan: string | null = 'business_starter') {
  const id = randomUUID();
  await hub.pool.query(
    `INSERT INTO core."Organization" (id, name, slug, "billingEmail") VALUES ($1, $2, $3, $4)`,
    [id, name, `${name.toLowerCase()}-${id.slice(0, 8)}`, uniqueEmail('billing')],
  );
  if (plan) {
    await hub.pool.query(
      `INSERT INTO hub."Subscription" (id, "organizationId", "appId", plan, status)
       VALUES (gen_random_uuid(), $1, $2, $3, 'active')`,
      [id, SVD_APP_ID, plan],
    );
  }
  return id;
}

export async function addMember(organizationId: string, userId: string, role: TOrganizationRole) {
  await hub.pool.query(
    `INSERT INTO core."Membership" (id, "organizationId", "userId", role) VALUES (gen_random_uuid(), $1, $2, $3)`,
    [organizationId, userId, role],
  );
}

/** Removes a member as the Hub does; their SVD session stays and must be refused on its next request. */
export async function removeMember(organizationId: string, userId: string) {
  await hub.pool.query(`DELETE FROM core."Membership" WHERE "organizationId" = $1 AND "userId" = $2`, [
    organizationId,
    userId,
  ]);
}

/** One launched member of `organizationId` per role given, in that order (a role may repeat). */
export function launchedTeam<const R extends readonly TOrganizationRole[]>(
  organizationId: string,
  roles: R,
): Promise<{ [K in keyof R]: TVaultUser }> {
  return Promise.all(roles.map((role) => launchedUser({ organizationId, role }))) as Promise<{
    [K in keyof R]: TVaultUser;
  }>;
}

/** The seeds' provisioning statement (SPEC §2), run as the Hub would: the plan SVD must honour at once. */
export async function provision(userId: string, plan: string, status = 'active') {
  await admin.pool.query(
    `INSERT INTO hub."Subscription" (id, "userId", "appId", "plan", "status")
     VALUES (gen_random_uuid(), $1, 'app_securevault', $2, $3)
     ON CONFLICT ("userId", "appId") DO UPDATE SET "plan" = $2, "status" = $3`,
    [userId, plan, status],
  );
}

/**
 * Pretends the user already stores `bytes` (a row without a blob) in the vault, to test quotas without uploading
 * gigabytes; with `organizationId`, in that team's space.
 */
export async function occupyStorage(
  userId: string,
  vaultId: string,
  bytes: number,
  organizationId: string | null = null,
) {
  await svd.db.insert(schema.document).values({
    id: randomUUID(),
    userId,
    organizationId,
    vaultId,
    name: 'existing.bin',
    mimeType: 'application/octet-stream',
    sizeBytes: bytes,
    state: 'ready',
    storageKey: `placeholder-${randomUUID()}`,
  });
}

export async function findBlobFile(storageKey: string): Promise<string | null> {
  const root = path.resolve(process.env.STORAGE_DIR ?? '.data/storage');
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  const match = entries.find((e) => e.isFile() && e.name.includes(storageKey));
  return match ? path.join(match.parentPath, match.name) : null;
}

export async function countBlobs(): Promise<number> {
  const root = path.resolve(process.env.STORAGE_DIR ?? '.data/storage');
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).length;
}
