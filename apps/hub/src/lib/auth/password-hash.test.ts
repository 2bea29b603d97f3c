import { schema } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { hashPassword as scryptHash } from 'better-auth/crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuth } from './auth';
import { createPasswordHash } from './password-hash';

const hub = connectAs('hub');
const auth = createAuth(hub.db);
const PASSWORD = 'Correct-horse-battery-9';

afterAll(async () => {
  await hub.pool.end();
});

async function storedHash(userId: string): Promise<string> {
  const [row] = await hub.db
    .select({ password: schema.account.password })
    .from(schema.account)
    .where(and(eq(schema.account.userId, userId), eq(schema.account.providerId, 'credential')));
  return row?.password ?? '';
}

/** A sign-in through better-auth's own endpoint (server-side, so the per-address limits are not counted). */
const signIn = (email: string, password: string) =>
  auth.api.signInEmail({ body: { email, password }, asResponse: true });

describe('password hash', () => {
  it('hashes new passwords with argon2id at OWASP parameters and verifies only the right password', async () => {
    const hasher = createPasswordHash(hub.db);
    const hash = await hasher.hash(PASSWORD);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await hasher.verify({ hash, password: PASSWORD })).toBe(true);
    expect(await hasher.verify({ hash, password: `${PASSWORD}x` })).toBe(false);
    // The same text in another Unicode form (é composed vs e + combining accent) is the same password.
    const accented = await hasher.hash('Caf\u00e9-au-lait-2024');
    expect(await hasher.verify({ hash: accented, password: 'Cafe\u0301-au-lait-2024' })).toBe(true);
  });

  it('a sign-up stores an argon2id hash and signs in with it', async () => {
    const email = uniqueEmail('argon');
    const signedUp = await auth.api.signUpEmail({ body: { email, password: PASSWORD, name: 'Argon' } });
    expect(await storedHash(signedUp.user.id)).toMatch(/^\$argon2id\$/);
    expect((await signIn(email, PASSWORD)).status).toBe(200);
    expect((await signIn(email, `${PASSWORD}x`)).status).toBe(401);
  });

  it('a former scrypt hash still signs in, and that sign-in replaces it with argon2id', async () => {
    const email = uniqueEmail('scrypt');
    // seedUser writes better-auth's scrypt "salt:key", as every account created before the switch has.
    const userId = await seedUser(hub.db, { email, password: PASSWORD, name: 'Scrypt' });
    const legacy = await storedHash(userId);
    expect(legacy).toMatch(/^[0-9a-f]{32}:[0-9a-f]{128}$/);

    // A wrong password neither signs in nor touches the stored hash.
    expect((await signIn(email, `${PASSWORD}x`)).status).toBe(401);
    expect(await storedHash(userId)).toBe(legacy);

    expect((await signIn(email, PASSWORD)).status).toBe(200);
    const upgraded = await storedHash(userId);
    expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    // The upgraded hash is the password's: the next sign-in verifies it with argon2id, a wrong one still fails.
    expect((await signIn(email, PASSWORD)).status).toBe(200);
    expect((await signIn(email, `${PASSWORD}x`)).status).toBe(401);
    expect(await storedHash(userId)).toBe(upgraded);
  });

  it('a scrypt hash of another account is never overwritten by an upgrade', async () => {
    const hasher = createPasswordHash(hub.db);
    const email = uniqueEmail('scrypt-other');
    const userId = await seedUser(hub.db, { email, password: PASSWORD, name: 'Other' });
    const stored = await storedHash(userId);
    // Another hash of the same password (its own salt) verifies, but upgrades only the row that holds it: none.
    const elsewhere = await scryptHash(PASSWORD);
    expect(await hasher.verify({ hash: elsewhere, password: PASSWORD })).toBe(true);
    expect(await storedHash(userId)).toBe(stored);
  });
});
