import { randomUUID } from 'node:crypto';
import { schema, type TDatabaseHandle } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPassword } from './has-password';
import { loadSupportActionsState } from './load-support-actions-state';

let hub: TDatabaseHandle;
beforeAll(() => {
  hub = connectAs('hub');
});
afterAll(async () => {
  await hub.pool.end();
});

describe('hasPassword (the console offers a claim mail only without one)', () => {
  it('is true for an account signed up with a password, false for a migrated one, in the console state too', async () => {
    const signedUp = await seedUser(hub.db, {
      email: uniqueEmail('has-pw'),
      password: 'a-password-123',
      name: 'Signed Up',
    });
    const migrated = randomUUID();
    await hub.db.insert(schema.user).values({ id: migrated, email: uniqueEmail('no-pw'), name: 'Migrated' });

    expect(await hasPassword(hub.db, signedUp)).toBe(true);
    expect(await hasPassword(hub.db, migrated)).toBe(false);
    await hub.db.transaction(async (tx) => {
      expect(await hasPassword(tx, signedUp)).toBe(true);
    });
    expect((await loadSupportActionsState(hub.db, signedUp))?.hasPassword).toBe(true);
    expect((await loadSupportActionsState(hub.db, migrated))?.hasPassword).toBe(false);
  });
});
