import { randomUUID } from 'node:crypto';
import { schema } from '@omg/db';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { seatsOf } from './seats-of';
import { withSeatAvailable } from './with-seat-available';

const hub = connectAs('hub');

afterAll(async () => {
  await hub.pool.end();
});

async function organizationWith(
  members: number,
  plan: string | null,
): Promise<{ id: string; owner: string }> {
  const id = randomUUID();
  await hub.db
    .insert(schema.organization)
    .values({ id, name: 'Seats Inc', slug: `seats-${id}`, billingEmail: uniqueEmail('seats') });
  let owner = '';
  for (let i = 0; i < members; i += 1) {
    const userId = randomUUID();
    owner ||= userId;
    await hub.db.insert(schema.user).values({ id: userId, email: uniqueEmail('seat'), name: 'S' });
    await hub.db
      .insert(schema.membership)
      .values({ id: randomUUID(), organizationId: id, userId, role: i === 0 ? 'owner' : 'member' });
  }
  if (plan) {
    await hub.db
      .insert(schema.subscription)
      .values({ id: randomUUID(), organizationId: id, appId: 'app_securevault', plan, status: 'active' });
  }
  return { id, owner };
}

/** What an invitation does to seats: a pending row (the organization plugin writes it on its own connection). */
const invite = (organizationId: string, inviterId: string) => async () => {
  await new Promise((resolve) => setTimeout(resolve, 50));
  await hub.db.insert(schema.invitation).values({
    id: randomUUID(),
    organizationId,
    email: uniqueEmail('invitee'),
    role: 'member',
    inviterId,
    expiresAt: new Date(Date.now() + 7 * 86_400_000),
  });
  return 'invited';
};

describe('withSeatAvailable: inviting beyond the seats asks to add one (issue 15)', () => {
  it('of two admins inviting for the last seat at once, one invites and the other is asked to add a seat', async () => {
    const acme = await organizationWith(4, 'business_starter');
    expect(await seatsOf(hub.db, acme.id)).toMatchObject({ total: 5, used: 4, available: 1 });
    const results = await Promise.allSettled([
      withSeatAvailable(hub.db, acme.id, invite(acme.id, acme.owner)),
      withSeatAvailable(hub.db, acme.id, invite(acme.id, acme.owner)),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refusal = results.find((r) => r.status === 'rejected')?.reason;
    expect(refusal).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('All 5 seats of Business Starter are in use'),
      details: { code: 'SEAT_REQUIRED', addSeatUrl: '/billing' },
    });
    expect(await seatsOf(hub.db, acme.id)).toMatchObject({ members: 4, pendingInvitations: 1, available: 0 });
  });

  it('an expired invitation frees its seat, and without a business subscription nothing is limited', async () => {
    const acme = await organizationWith(5, 'business_starter');
    await expect(withSeatAvailable(hub.db, acme.id, async () => 'x')).rejects.toMatchObject({
      details: { code: 'SEAT_REQUIRED' },
    });
    await hub.db.insert(schema.invitation).values({
      id: randomUUID(),
      organizationId: acme.id,
      email: uniqueEmail('old'),
      role: 'member',
      inviterId: acme.owner,
      expiresAt: new Date(Date.now() - 1000),
    });
    expect(await seatsOf(hub.db, acme.id)).toMatchObject({ pendingInvitations: 0, used: 5 });

    const unsubscribed = await organizationWith(7, null);
    expect(await seatsOf(hub.db, unsubscribed.id)).toMatchObject({ plan: null, total: null, used: 7 });
    expect(await withSeatAvailable(hub.db, unsubscribed.id, async () => 'invited')).toBe('invited');
  });
});
