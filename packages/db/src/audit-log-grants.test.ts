import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { connectAs } from './testing';

// The Hub's own role, as the running Hub connects; applyRoleGrants ran after the migrations (npm test's setup).
const hub = connectAs('hub');

afterAll(async () => {
  await hub.pool.end();
});

async function insertEntry(): Promise<string> {
  const id = randomUUID();
  await hub.pool.query(
    `INSERT INTO hub."AuditLog" (id, "actorUserId", "actorRole", action, reason) VALUES ($1, 'system:test', 'system', 'test.append', 'grants test')`,
    [id],
  );
  return id;
}

describe('hub."AuditLog" is append-only for the Hub role (issue 14)', () => {
  it('lets the Hub insert and read entries', async () => {
    const id = await insertEntry();
    const read = await hub.pool.query('SELECT reason FROM hub."AuditLog" WHERE id = $1', [id]);
    expect(read.rows).toEqual([{ reason: 'grants test' }]);
  });

  it.each([
    [
      'UPDATE',
      (id: string) => hub.pool.query(`UPDATE hub."AuditLog" SET reason = 'rewritten' WHERE id = $1`, [id]),
    ],
    ['DELETE', (id: string) => hub.pool.query('DELETE FROM hub."AuditLog" WHERE id = $1', [id])],
    ['TRUNCATE', () => hub.pool.query('TRUNCATE hub."AuditLog"')],
  ])('refuses %s with permission denied, and the entry stays as written', async (_verb, run) => {
    const id = await insertEntry();
    await expect(run(id)).rejects.toMatchObject({ code: '42501' });
    const read = await hub.pool.query('SELECT reason FROM hub."AuditLog" WHERE id = $1', [id]);
    expect(read.rows).toEqual([{ reason: 'grants test' }]);
  });

  it('refuses an entry without a reason', async () => {
    await expect(
      hub.pool.query(
        `INSERT INTO hub."AuditLog" (id, "actorUserId", "actorRole", action, reason) VALUES ($1, 'system:test', 'system', 'test.append', '  ')`,
        [randomUUID()],
      ),
    ).rejects.toMatchObject({ code: '23514' });
  });
});
