import { schema } from '@omg/db';
import { connectAs } from '@omg/db/testing';
import { AppError } from '@omg/platform';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantRole } from '@/lib/admin/grant-role';
import { requireStaff, staffCheckIdentifier } from '@/lib/admin/require-staff';
import type { TStaffRole } from '@/lib/admin/staff-role';
import { postJson, signUpHubUser } from '@/testing/billing-test-env';
import { GET as auditRoute } from './audit/route';
import { POST as confirmRoute } from './confirm/route';
import { GET as customerRoute } from './customers/[id]/route';
import { GET as customersRoute } from './customers/route';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const hub = connectAs('hub');

afterAll(async () => {
  await hub.pool.end();
  const { database } = await import('@/lib/db');
  await database().pool.end();
});

type TPersona = 'signed out' | 'customer' | 'support' | 'admin' | 'stale admin';
interface TSignedIn {
  cookie?: string;
  password?: string;
  userId?: string;
  sessionId?: string;
}

const MINUTES_AGO = (minutes: number) => new Date(Date.now() - minutes * 60_000);

async function sessionIdOf(cookie: string): Promise<string> {
  const { auth } = await import('@/lib/auth/auth');
  const session = await auth().api.getSession({ headers: new Headers({ cookie }) });
  if (!session) throw new Error('expected a session');
  return session.session.id;
}

/** Makes a session look signed in `minutes` ago, with no console activity since. */
async function ageSession(sessionId: string, minutes: number) {
  await hub.db
    .update(schema.session)
    .set({ createdAt: MINUTES_AGO(minutes) })
    .where(eq(schema.session.id, sessionId));
  await hub.db
    .delete(schema.verification)
    .where(eq(schema.verification.identifier, staffCheckIdentifier(sessionId)));
}

async function persona(kind: TPersona): Promise<TSignedIn> {
  if (kind === 'signed out') return {};
  const prefix = kind.replace(' ', '-');
  const user = await signUpHubUser(prefix);
  const role = kind === 'customer' ? null : kind === 'support' ? 'support' : 'admin';
  if (role) await grantRole(hub.db, { email: user.email, role, reason: 'access test', actor: 'system:test' });
  const sessionId = await sessionIdOf(user.cookie);
  if (kind === 'stale admin') await ageSession(sessionId, 16);
  return { cookie: user.cookie, password: `${prefix}-pass-12`, userId: user.userId, sessionId };
}

const getAudit = (cookie?: string) =>
  auditRoute(new Request(`${HUB}/api/admin/audit`, { headers: cookie ? { cookie } : {} }), {
    params: Promise.resolve({}),
  });

async function guardOutcome(cookie: string | undefined, options: Parameters<typeof requireStaff>[1]) {
  try {
    const staff = await requireStaff(new Headers(cookie ? { cookie } : {}), options);
    return staff.role;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return error.details?.code === 'RECENT_SIGN_IN_REQUIRED' ? 'confirm' : error.status;
  }
}

const people = {} as Record<TPersona, TSignedIn>;
beforeAll(async () => {
  for (const kind of ['signed out', 'customer', 'support', 'admin', 'stale admin'] as const) {
    people[kind] = await persona(kind);
  }
});

describe('the operator console refuses everyone but staff (issue 14)', () => {
  // What each persona gets: the audit API's status, the /admin page's guard, /admin/confirm's guard.
  const table: [TPersona, number, string | number, string | number][] = [
    ['signed out', 404, 404, 404],
    ['customer', 404, 404, 404],
    ['support', 200, 'support', 'support'],
    ['admin', 200, 'admin', 'admin'],
    ['stale admin', 403, 'confirm', 'admin'],
  ];

  it.each(table)('%s: GET /api/admin/audit answers %s', async (kind, status) => {
    const response = await getAudit(people[kind].cookie);
    expect(response.status).toBe(status);
    const body = await response.json();
    if (status === 404)
      expect(body.error).toMatchObject({ code: 'NOT_FOUND', message: 'This page could not be found.' });
    if (status === 403) expect(body.error.details).toEqual({ code: 'RECENT_SIGN_IN_REQUIRED' });
    if (status === 200) expect(Array.isArray(body.entries)).toBe(true);
  });

  it.each(table)('%s: GET /api/admin/customers (the customer search) answers %s', async (kind, status) => {
    const response = await customersRoute(
      new Request(`${HUB}/api/admin/customers?q=a&filter=past_due`, {
        headers: people[kind].cookie ? { cookie: people[kind].cookie } : {},
      }),
      { params: Promise.resolve({}) },
    );
    expect(response.status).toBe(status);
    const body = await response.json();
    if (status === 404) expect(body.error).toMatchObject({ code: 'NOT_FOUND' });
    if (status === 200) expect(Array.isArray(body.rows)).toBe(true);
  });

  it.each(table)('%s: GET /api/admin/customers/[id] (one customer) answers %s', async (kind, status) => {
    // The customer asks about themselves: their own id is still the console's 404 for them.
    const id = people.customer.userId ?? '';
    const response = await customerRoute(
      new Request(`${HUB}/api/admin/customers/${id}`, {
        headers: people[kind].cookie ? { cookie: people[kind].cookie } : {},
      }),
      { params: Promise.resolve({ id }) },
    );
    expect(response.status).toBe(status);
    const body = await response.json();
    if (status === 404)
      expect(body.error).toMatchObject({ code: 'NOT_FOUND', message: 'This page could not be found.' });
    if (status === 200) {
      expect(body.profile.id).toBe(id);
      expect(body.access.reason).toMatch(/trial/i);
      expect(body.timeline.entries.map((e: { kind: string }) => e.kind)).toContain('signup');
    }
  });

  it.each([
    ['an unknown id', '00000000-0000-4000-8000-000000000000', ''],
    ['an id that is no UUID', 'not-a-customer', ''],
    ['a damaged timeline page link', 'customer', '?before=garbage'],
  ])('support asking for %s gets a 404 or 400, never a page', async (_what, idOrCustomer, search) => {
    const id = idOrCustomer === 'customer' ? (people.customer.userId ?? '') : idOrCustomer;
    const response = await customerRoute(
      new Request(`${HUB}/api/admin/customers/${id}${search}`, {
        headers: { cookie: people.support.cookie ?? '' },
      }),
      { params: Promise.resolve({ id }) },
    );
    expect(response.status).toBe(search ? 400 : 404);
    if (!search) expect((await response.json()).error.message).toBe('No customer has this id.');
  });

  it.each(table)(
    '%s: the /admin page guard gives %s, /admin/confirm %s',
    async (kind, _status, page, confirm) => {
      const pageOptions = { role: 'support' as TStaffRole };
      expect(await guardOutcome(people[kind].cookie, pageOptions)).toBe(
        page === 'confirm' ? 'confirm' : page,
      );
      expect(await guardOutcome(people[kind].cookie, { role: 'support', recentSignInMinutes: false })).toBe(
        confirm,
      );
    },
  );

  it('keeps admin-only guards from support', async () => {
    expect(await guardOutcome(people.support.cookie, { role: 'admin' })).toBe(404);
    expect(await guardOutcome(people.admin.cookie, { role: 'admin' })).toBe('admin');
  });

  it.each(['signed out', 'customer'] as const)(
    '%s: POST /api/admin/confirm answers 404, even with the right password',
    async (kind) => {
      const response = await postJson(
        confirmRoute,
        '/api/admin/confirm',
        {
          password: people[kind].password ?? 'whatever-pass-12',
        },
        people[kind].cookie,
      );
      expect(response.status).toBe(404);
    },
  );

  it('a stale admin confirms the password (a wrong one is refused) and the console opens again', async () => {
    const stale = await persona('stale admin');
    const wrong = await postJson(
      confirmRoute,
      '/api/admin/confirm',
      { password: 'not-the-password-1' },
      stale.cookie,
    );
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error.message).toBe('That password is incorrect.');
    expect((await getAudit(stale.cookie)).status).toBe(403);
    const right = await postJson(
      confirmRoute,
      '/api/admin/confirm',
      { password: stale.password },
      stale.cookie,
    );
    expect(right.status).toBe(204);
    // Recorded in PostgreSQL against this session, not in the process.
    const [row] = await hub.db
      .select()
      .from(schema.verification)
      .where(eq(schema.verification.identifier, staffCheckIdentifier(stale.sessionId ?? '')));
    expect(row?.value).toBe(stale.userId);
    expect((await getAudit(stale.cookie)).status).toBe(200);
  });

  it('counts 15 idle minutes from the last console activity, not from sign-in', async () => {
    const admin = await persona('admin');
    const sessionId = admin.sessionId ?? '';
    // Signed in 14 minutes ago and active now: the activity slides the window.
    await ageSession(sessionId, 14);
    expect((await getAudit(admin.cookie)).status).toBe(200);
    await hub.db
      .update(schema.session)
      .set({ createdAt: MINUTES_AGO(60) })
      .where(eq(schema.session.id, sessionId));
    expect((await getAudit(admin.cookie)).status).toBe(200);
    // Then 16 minutes without activity.
    await hub.db
      .update(schema.verification)
      .set({ updatedAt: MINUTES_AGO(16) })
      .where(eq(schema.verification.identifier, staffCheckIdentifier(sessionId)));
    expect((await getAudit(admin.cookie)).status).toBe(403);
  });

  it('takes effect at once when a role is taken away', async () => {
    const support = await persona('support');
    expect((await getAudit(support.cookie)).status).toBe(200);
    const [user] = await hub.db
      .select()
      .from(schema.user)
      .where(eq(schema.user.id, support.userId ?? ''));
    await grantRole(hub.db, { email: user?.email ?? '', role: 'user', reason: 'left', actor: 'system:test' });
    expect((await getAudit(support.cookie)).status).toBe(404);
  });

  it('a customer cannot give themselves a role through better-auth', async () => {
    const customer = await persona('customer');
    const { auth } = await import('@/lib/auth/auth');
    await auth()
      .api.updateUser({
        body: { name: 'Sneaky', role: 'admin' } as never,
        headers: new Headers({ cookie: customer.cookie ?? '' }),
      })
      .catch(() => undefined);
    const [user] = await hub.db
      .select()
      .from(schema.user)
      .where(eq(schema.user.id, customer.userId ?? ''));
    expect(user?.role).toBe('user');
    expect((await getAudit(customer.cookie)).status).toBe(404);
  });
});
