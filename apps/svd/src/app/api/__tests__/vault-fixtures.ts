import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { SVD_APP_ID } from '@omg/contract';
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

/** A Hub user launched into SVD: profile synced, SVD session open; the cookie to send with API calls. */
export async function launchedUser(): Promise<TVaultUser> {
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
  const session = await createSvdSession(svd.db, {
    userId,
    hubSessionId: sid,
    hubSessionExpiresAt: new Date(Date.now() + 3_600_000),
  });
  return { userId, cookie: `svd_session=${session.token}` };
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

/** Pretends the user already stores `bytes` (a row without a blob), to test quotas without uploading gigabytes. */
export async function occupyStorage(userId: string, vaultId: string, bytes: number) {
  await svd.db.insert(schema.document).values({
    id: randomUUID(),
    userId,
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
