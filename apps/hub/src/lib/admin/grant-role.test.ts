import { schema } from '@omg/db';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { AppError } from '@omg/platform';
import { desc, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { grantRole } from './grant-role';

// As the Hub's role, which is what `npm run admin:grant` connects as.
const hub = connectAs('hub');

afterAll(async () => {
  await hub.pool.end();
});

async function seedUser(email: string, deleted = false): Promise<string> {
  const id = crypto.randomUUID();
  await hub.db.insert(schema.user).values({ id, email, deletedAt: deleted ? new Date() : null });
  return id;
}

const auditOf = (userId: string) =>
  hub.db
    .select()
    .from(schema.auditLog)
    .where(eq(schema.auditLog.targetUserId, userId))
    .orderBy(desc(schema.auditLog.createdAt));

const roleOf = async (userId: string) =>
  (await hub.db.select({ role: schema.user.role }).from(schema.user).where(eq(schema.user.id, userId)))[0]
    ?.role;

describe('grantRole (npm run admin:grant)', () => {
  it('gives the role, whatever the case of the address, with its audit entry', async () => {
    const email = uniqueEmail('grant');
    const userId = await seedUser(email);
    expect(await roleOf(userId)).toBe('user');
    const result = await grantRole(hub.db, {
      email: email.toUpperCase(),
      role: 'admin',
      reason: 'first admin',
      actor: 'system:cli',
    });
    expect(result).toMatchObject({ userId, before: 'user', after: 'admin', changed: true });
    expect(await roleOf(userId)).toBe('admin');
    const [entry] = await auditOf(userId);
    expect(entry).toMatchObject({
      id: result.auditId,
      actorUserId: 'system:cli',
      actorRole: 'system',
      action: 'role.grant',
      reason: 'first admin',
      before: { role: 'user' },
      after: { role: 'admin' },
    });
  });

  it('takes a role away with --role user, and writes nothing when the role is already there', async () => {
    const email = uniqueEmail('revoke');
    const userId = await seedUser(email);
    await grantRole(hub.db, { email, role: 'support', reason: 'on the team', actor: 'system:cli' });
    const again = await grantRole(hub.db, { email, role: 'support', reason: 'again', actor: 'system:cli' });
    expect(again).toMatchObject({ changed: false, auditId: null });
    await grantRole(hub.db, { email, role: 'user', reason: 'left the team', actor: 'system:cli' });
    expect(await roleOf(userId)).toBe('user');
    expect((await auditOf(userId)).map((e) => [e.reason, e.after])).toEqual([
      ['left the team', { role: 'user' }],
      ['on the team', { role: 'support' }],
    ]);
  });

  it('refuses an unknown address and a deleted account with messages that say so', async () => {
    const unknown = uniqueEmail('nobody');
    await expect(
      grantRole(hub.db, { email: unknown, role: 'admin', reason: 'x', actor: 'system:cli' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: `No account has the address ${unknown}.` });
    const deletedEmail = uniqueEmail('deleted');
    const deletedId = await seedUser(deletedEmail, true);
    const refused = grantRole(hub.db, {
      email: deletedEmail,
      role: 'admin',
      reason: 'x',
      actor: 'system:cli',
    });
    await expect(refused).rejects.toBeInstanceOf(AppError);
    await expect(refused).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('deleted'),
    });
    expect(await roleOf(deletedId)).toBe('user');
    expect(await auditOf(deletedId)).toEqual([]);
  });

  it('requires a reason and a known role', async () => {
    const email = uniqueEmail('reason');
    const userId = await seedUser(email);
    await expect(
      grantRole(hub.db, { email, role: 'admin', reason: '  ', actor: 'system:cli' }),
    ).rejects.toThrow('A reason is required.');
    await expect(
      grantRole(hub.db, { email, role: 'owner' as 'admin', reason: 'x', actor: 'system:cli' }),
    ).rejects.toThrow();
    expect(await roleOf(userId)).toBe('user');
  });
});
