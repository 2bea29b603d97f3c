import { randomUUID } from 'node:crypto';
import { createLaunchState, verifyLaunchToken } from '@omg/contract';
import { schema } from '@omg/db';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import type { TServedOverHttp } from '@omg/platform/testing/serve-over-http';
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  organizationClient,
  serveOrganizationRoutes,
  signUp,
  type TPerson,
} from '@/testing/organizations-over-http';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const hub = connectAs('hub');

let server: TServedOverHttp;
let call: ReturnType<typeof organizationClient>;

type TPersona = 'owner' | 'admin' | 'member' | 'viewer' | 'former member' | 'other org' | 'signed out';
const PERSONAS: TPersona[] = [
  'owner',
  'admin',
  'member',
  'viewer',
  'former member',
  'other org',
  'signed out',
];
const people = {} as Record<TPersona, TPerson | null>;
let acme: { id: string; slug: string };

async function createOrganization(person: TPerson, name: string) {
  const created = await call('POST', '/api/organizations', person, { name, billingEmail: person.email });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.organization as { id: string; slug: string; name: string };
}

/** Invites `person` (by their email) as `inviter` and accepts as `person`, over HTTP. */
async function join(slug: string, inviter: TPerson, person: TPerson, role: string) {
  const invited = await call('POST', `/api/organizations/${slug}/invitations`, inviter, {
    email: person.email,
    role,
  });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  const { id } = invited.body.invitation as { id: string };
  const accepted = await call('POST', `/api/invitations/${id}/accept`, person);
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
}

async function membershipIdOf(organizationId: string, userId: string): Promise<string | undefined> {
  const [row] = await hub.db
    .select({ id: schema.membership.id })
    .from(schema.membership)
    .where(and(eq(schema.membership.organizationId, organizationId), eq(schema.membership.userId, userId)));
  return row?.id;
}

/** A member who never signs in (the target of a role change or removal), written straight to the database. */
async function seedMember(organizationId: string, role: 'admin' | 'member' | 'viewer'): Promise<string> {
  const userId = randomUUID();
  await hub.db.insert(schema.user).values({ id: userId, email: uniqueEmail('target'), name: 'Target' });
  const id = randomUUID();
  await hub.db.insert(schema.membership).values({ id, organizationId, userId, role });
  return id;
}

async function pendingInvitation(organizationId: string, inviterId: string): Promise<string> {
  const id = randomUUID();
  await hub.db.insert(schema.invitation).values({
    id,
    organizationId,
    email: uniqueEmail('pending'),
    role: 'member',
    inviterId,
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  return id;
}

beforeAll(async () => {
  server = await serveOrganizationRoutes(HUB);
  call = organizationClient(server, HUB);
  for (const persona of PERSONAS) {
    people[persona] = persona === 'signed out' ? null : await signUp(persona.replace(' ', '-'));
  }
  const owner = people.owner as TPerson;
  acme = await createOrganization(owner, 'Acme');
  await join(acme.slug, owner, people.admin as TPerson, 'admin');
  await join(acme.slug, people.admin as TPerson, people.member as TPerson, 'member');
  await join(acme.slug, owner, people.viewer as TPerson, 'viewer');
  await join(acme.slug, owner, people['former member'] as TPerson, 'member');
  const formerId = await membershipIdOf(acme.id, (people['former member'] as TPerson).userId);
  expect((await call('DELETE', `/api/organizations/${acme.slug}/members/${formerId}`, owner)).status).toBe(
    204,
  );
  await createOrganization(people['other org'] as TPerson, 'Other Co');
}, 60_000);

afterAll(async () => {
  await server.close();
  await hub.pool.end();
  const { database } = await import('@/lib/db');
  await database().pool.end();
});

describe('every organization route refuses non-members and lower roles (issue 15)', () => {
  // The status each persona gets, in PERSONAS order: owner, admin, member, viewer, former member, other org,
  // signed out. A non-member learns nothing (404); a lower role is told who may (403).
  const table: [string, (number | null)[], () => Promise<[string, string, unknown?]>][] = [
    ['view the organization', [200, 200, 200, 200, 404, 404, 401], async () => ['GET', '']],
    [
      'invite',
      [201, 201, 403, 403, 404, 404, 401],
      async () => ['POST', '/invitations', { email: uniqueEmail('invitee'), role: 'member' }],
    ],
    [
      'revoke an invitation',
      [204, 204, 403, 403, 404, 404, 401],
      async () => [
        'DELETE',
        `/invitations/${await pendingInvitation(acme.id, (people.owner as TPerson).userId)}`,
      ],
    ],
    [
      'change a role',
      [200, 200, 403, 403, 404, 404, 401],
      async () => ['PATCH', `/members/${await seedMember(acme.id, 'viewer')}`, { role: 'member' }],
    ],
    [
      'remove a member',
      [204, 204, 403, 403, 404, 404, 401],
      async () => ['DELETE', `/members/${await seedMember(acme.id, 'member')}`],
    ],
    // The owner's own transfer is walked below (it changes who the owner is).
    [
      'transfer ownership',
      [null, 403, 403, 403, 404, 404, 401],
      async () => ['POST', '/transfer', { membershipId: await seedMember(acme.id, 'member') }],
    ],
    // Members leaving are walked below (they would be gone for the next rows).
    ['leave', [409, null, null, null, 404, 404, 401], async () => ['POST', '/leave']],
  ];

  it.each(table)('%s: %j', async (_action, statuses, request) => {
    for (const [index, persona] of PERSONAS.entries()) {
      const expected = statuses[index];
      if (expected === null) continue;
      const [method, suffix, body] = await request();
      const response = await call(method, `/api/organizations/${acme.slug}${suffix}`, people[persona], body);
      expect(response.status, `${persona}: ${JSON.stringify(response.body)}`).toBe(expected);
      if (expected === 404) expect(JSON.stringify(response.body)).not.toContain('Acme');
    }
  });

  it('lists pending invitations (with their links) to owners and admins only', async () => {
    for (const persona of ['owner', 'admin', 'member', 'viewer'] as const) {
      const { body } = await call('GET', `/api/organizations/${acme.slug}`, people[persona]);
      expect(body.you).toMatchObject({ role: persona });
      expect((body.members as unknown[]).length).toBeGreaterThanOrEqual(4);
      if (persona === 'owner' || persona === 'admin') {
        const invitations = body.invitations as { url: string }[];
        expect(invitations.length).toBeGreaterThan(0);
        expect(invitations[0]?.url).toMatch(new RegExp(`^${HUB}/invitations/`));
      } else {
        expect(body.invitations).toBeNull();
      }
    }
  });

  it('keeps better-auth’s own organization endpoints away from browsers', async () => {
    const response = await call('POST', '/api/auth/organization/create', people.owner, {
      name: 'Sneaky',
      slug: 'sneaky',
      billingEmail: 'x@example.test',
    });
    expect(response.status).toBe(404);
    const listed = await call('GET', '/api/auth/organization/list', people.owner);
    expect(listed.status).toBe(404);
  });
});

describe('hostile inputs', () => {
  it('refuses role escalation: admins never make or touch an owner, nor change another admin; members never invite', async () => {
    const admin = people.admin as TPerson;
    const owner = people.owner as TPerson;
    const ownerMembership = await membershipIdOf(acme.id, owner.userId);
    const base = `/api/organizations/${acme.slug}`;
    const target = await seedMember(acme.id, 'member');
    expect((await call('PATCH', `${base}/members/${target}`, admin, { role: 'owner' })).status).toBe(400);
    expect((await call('PATCH', `${base}/members/${target}`, owner, { role: 'owner' })).status).toBe(400);
    expect(
      (await call('POST', `${base}/invitations`, admin, { email: uniqueEmail('x'), role: 'owner' })).status,
    ).toBe(400);
    expect(
      (await call('PATCH', `${base}/members/${ownerMembership}`, admin, { role: 'viewer' })).status,
    ).toBe(403);
    expect((await call('DELETE', `${base}/members/${ownerMembership}`, admin)).status).toBe(403);
    const otherAdmin = await seedMember(acme.id, 'admin');
    expect((await call('PATCH', `${base}/members/${otherAdmin}`, admin, { role: 'viewer' })).status).toBe(
      403,
    );
    expect((await call('DELETE', `${base}/members/${otherAdmin}`, admin)).status).toBe(403);
    const adminOwn = await membershipIdOf(acme.id, admin.userId);
    expect((await call('PATCH', `${base}/members/${adminOwn}`, admin, { role: 'admin' })).status).toBe(400);
    expect(
      (await call('POST', `${base}/invitations`, people.member, { email: uniqueEmail('x'), role: 'viewer' }))
        .status,
    ).toBe(403);
    expect((await call('POST', `${base}/transfer`, admin, { membershipId: adminOwn })).status).toBe(403);
    // The owner is still the one owner.
    const owners = await hub.db
      .select()
      .from(schema.membership)
      .where(and(eq(schema.membership.organizationId, acme.id), eq(schema.membership.role, 'owner')));
    expect(owners.map((row) => row.userId)).toEqual([owner.userId]);
  });

  it('never removes the last owner: not by an admin, not by the owner, not by leaving', async () => {
    const owner = people.owner as TPerson;
    const ownerMembership = await membershipIdOf(acme.id, owner.userId);
    const base = `/api/organizations/${acme.slug}`;
    expect((await call('DELETE', `${base}/members/${ownerMembership}`, owner)).status).toBe(400);
    const left = await call('POST', `${base}/leave`, owner);
    expect(left.status).toBe(409);
    expect(JSON.stringify(left.body)).toContain('transfer ownership');
    expect(await membershipIdOf(acme.id, owner.userId)).toBe(ownerMembership);
    // And the database refuses a second owner whatever the code does.
    await expect(seedOwner(acme.id)).rejects.toThrow();
  });

  it('refuses an invitation for another email, a revoked, an expired one, and accepting twice', async () => {
    const owner = people.owner as TPerson;
    const base = `/api/organizations/${acme.slug}`;
    const colleague = await signUp('colleague');
    const stranger = await signUp('stranger');
    const invite = async () => {
      const response = await call('POST', `${base}/invitations`, owner, {
        email: colleague.email,
        role: 'viewer',
      });
      expect(response.status).toBe(201);
      return (response.body.invitation as { id: string }).id;
    };

    const forColleague = await invite();
    const wrong = await call('POST', `/api/invitations/${forColleague}/accept`, stranger);
    expect(wrong.status).toBe(403);
    expect(JSON.stringify(wrong.body)).toContain('another email address');
    expect((await call('POST', `/api/invitations/${forColleague}/decline`, stranger)).status).toBe(403);

    expect((await call('DELETE', `${base}/invitations/${forColleague}`, owner)).status).toBe(204);
    expect((await call('DELETE', `${base}/invitations/${forColleague}`, owner)).status).toBe(409);
    expect((await call('POST', `/api/invitations/${forColleague}/accept`, colleague)).status).toBe(404);

    const expiring = await invite();
    await hub.db
      .update(schema.invitation)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.invitation.id, expiring));
    expect((await call('POST', `/api/invitations/${expiring}/accept`, colleague)).status).toBe(404);

    const good = await invite();
    const accepted = await call('POST', `/api/invitations/${good}/accept`, colleague);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ slug: acme.slug });
    expect((await call('POST', `/api/invitations/${good}/accept`, colleague)).status).toBe(404);
    const memberships = await hub.db
      .select()
      .from(schema.membership)
      .where(
        and(eq(schema.membership.organizationId, acme.id), eq(schema.membership.userId, colleague.userId)),
      );
    expect(memberships.map((row) => row.role)).toEqual(['viewer']);

    // Inviting an existing member, in any spelling of the address.
    const again = await call('POST', `${base}/invitations`, owner, {
      email: colleague.email.toUpperCase(),
      role: 'member',
    });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).toContain('already a member');

    // Another organization's invitation cannot be revoked through this one.
    const other = await call('GET', '/api/organizations', people['other org']);
    const otherSlug = (other.body.organizations as { slug: string }[])[0]?.slug;
    const otherInvite = await call(
      'POST',
      `/api/organizations/${otherSlug}/invitations`,
      people['other org'],
      {
        email: uniqueEmail('other-invitee'),
        role: 'member',
      },
    );
    const otherId = (otherInvite.body.invitation as { id: string }).id;
    expect((await call('DELETE', `${base}/invitations/${otherId}`, owner)).status).toBe(404);
  });

  it('takes unicode and HTML in names as text, refuses 10 kB names and control characters', async () => {
    const owner = people.owner as TPerson;
    const name = 'Ünïcødé <b>Acme</b> & “Co” 🚀';
    const created = await createOrganization(owner, name);
    expect(created.name).toBe(name);
    // Accents fold (Ü → u), other letters and the markup become dashes: 'unic-de-b-acme-b-co'.
    expect(created.slug).toMatch(/^unic-de-b-acme-b-co(-[0-9a-f]{6})?$/);
    const again = await createOrganization(owner, name);
    expect(again.slug).not.toBe(created.slug);
    for (const bad of ['x'.repeat(10_000), '   ', 'Acme\u0000', 'Acme\u202Egpj.exe', '']) {
      const response = await call('POST', '/api/organizations', owner, {
        name: bad,
        billingEmail: owner.email,
      });
      expect(response.status, JSON.stringify(bad.slice(0, 20))).toBe(400);
    }
    const badEmail = await call('POST', '/api/organizations', owner, {
      name: 'Fine',
      billingEmail: 'not-an-email',
    });
    expect(badEmail.status).toBe(400);
    const longEmail = await call('POST', `/api/organizations/${created.slug}/invitations`, owner, {
      email: `${'a'.repeat(10_000)}@example.test`,
      role: 'member',
    });
    expect(longEmail.status).toBe(400);

    // The invitation mail shows the name as text, never as markup.
    const invitee = uniqueEmail('html-invitee');
    await call('POST', `/api/organizations/${created.slug}/invitations`, owner, {
      email: invitee,
      role: 'member',
    });
    const [mail] = await hub.db
      .select()
      .from(schema.outgoingEmail)
      .where(eq(schema.outgoingEmail.to, invitee))
      .orderBy(desc(schema.outgoingEmail.createdAt));
    expect(mail?.html).toContain('&lt;b&gt;Acme&lt;/b&gt;');
    expect(mail?.html).not.toContain('<b>Acme</b>');
  });
});

async function seedOwner(organizationId: string) {
  const userId = randomUUID();
  await hub.db.insert(schema.user).values({ id: userId, email: uniqueEmail('second-owner') });
  await hub.db.insert(schema.membership).values({ id: randomUUID(), organizationId, userId, role: 'owner' });
}

describe('invitations, roles, transfer and leaving', () => {
  it('mails the invitation through the outbox with the link the inviter sees', async () => {
    const owner = people.owner as TPerson;
    const email = uniqueEmail('mailed');
    const response = await call('POST', `/api/organizations/${acme.slug}/invitations`, owner, {
      email,
      role: 'admin',
    });
    const { url, id } = response.body.invitation as { url: string; id: string };
    expect(url).toBe(`${HUB}/invitations/${id}`);
    const [mail] = await hub.db.select().from(schema.outgoingEmail).where(eq(schema.outgoingEmail.to, email));
    expect(mail).toMatchObject({
      kind: 'organization-invitation',
      subject: 'You are invited to join Acme on OMG System',
    });
    expect(mail?.html).toContain(url);
    expect(mail?.text).toContain('as an admin');
  });

  it('transfers ownership: exactly one owner, the former owner an admin who may then leave', async () => {
    const founder = await signUp('founder');
    const successor = await signUp('successor');
    const organization = await createOrganization(founder, 'Handover Ltd');
    await join(organization.slug, founder, successor, 'member');
    const successorMembership = await membershipIdOf(organization.id, successor.userId);
    const base = `/api/organizations/${organization.slug}`;
    expect((await call('POST', `${base}/transfer`, founder, { membershipId: 'nobody' })).status).toBe(404);
    expect(
      (await call('POST', `${base}/transfer`, founder, { membershipId: successorMembership })).status,
    ).toBe(204);
    const roles = await hub.db
      .select({ userId: schema.membership.userId, role: schema.membership.role })
      .from(schema.membership)
      .where(eq(schema.membership.organizationId, organization.id));
    expect(new Map(roles.map((row) => [row.userId, row.role]))).toEqual(
      new Map([
        [founder.userId, 'admin'],
        [successor.userId, 'owner'],
      ]),
    );
    // The former owner can no longer transfer, and can leave now.
    expect(
      (await call('POST', `${base}/transfer`, founder, { membershipId: successorMembership })).status,
    ).toBe(403);
    expect((await call('POST', `${base}/leave`, founder)).status).toBe(204);
    expect((await call('GET', base, founder)).status).toBe(404);
    expect((await call('POST', `${base}/leave`, successor)).status).toBe(409);
  });

  it('lets a member leave and a viewer decline; the owner changes a role and removes a member', async () => {
    const owner = await signUp('team-owner');
    const leaver = await signUp('leaver');
    const decliner = await signUp('decliner');
    const organization = await createOrganization(owner, 'Leavers Inc');
    const base = `/api/organizations/${organization.slug}`;
    await join(organization.slug, owner, leaver, 'member');
    expect((await call('POST', `${base}/leave`, leaver)).status).toBe(204);
    expect(await membershipIdOf(organization.id, leaver.userId)).toBeUndefined();

    const invited = await call('POST', `${base}/invitations`, owner, {
      email: decliner.email,
      role: 'viewer',
    });
    const invitationId = (invited.body.invitation as { id: string }).id;
    expect((await call('POST', `/api/invitations/${invitationId}/decline`, decliner)).status).toBe(204);
    expect((await call('POST', `/api/invitations/${invitationId}/accept`, decliner)).status).toBe(404);

    await join(organization.slug, owner, decliner, 'viewer');
    const membership = await membershipIdOf(organization.id, decliner.userId);
    const changed = await call('PATCH', `${base}/members/${membership}`, owner, { role: 'admin' });
    expect(changed).toMatchObject({ status: 200, body: { member: { role: 'admin' } } });
    const overview = await call('GET', base, decliner);
    expect(overview.body.you).toMatchObject({ role: 'admin' });
    expect((await call('DELETE', `${base}/members/${membership}`, owner)).status).toBe(204);
    expect((await call('GET', base, decliner)).status).toBe(404);
  });
});

describe('the active account and the launch token', () => {
  it('switches between Personal and an organization; a removed member falls back to Personal', async () => {
    const { getActiveMembership } = await import('@/lib/organizations/get-active-membership');
    const owner = await signUp('switcher-owner');
    const member = await signUp('switcher');
    const organization = await createOrganization(owner, 'Switch Co');
    const headersOf = (person: TPerson) => new Headers({ cookie: person.cookie });
    // Creating keeps the creator's active account as it was.
    expect(await getActiveMembership(headersOf(owner))).toBeNull();
    expect(
      (await call('POST', '/api/active-organization', owner, { organizationId: organization.id })).status,
    ).toBe(200);
    expect(await getActiveMembership(headersOf(owner))).toMatchObject({
      role: 'owner',
      organization: {
        id: organization.id,
        slug: organization.slug,
        name: 'Switch Co',
        billingEmail: owner.email,
      },
    });
    expect((await call('POST', '/api/active-organization', owner, { organizationId: null })).status).toBe(
      200,
    );
    expect(await getActiveMembership(headersOf(owner))).toBeNull();

    // Not a member: 404, and the session stays as it was.
    expect(
      (await call('POST', '/api/active-organization', member, { organizationId: organization.id })).status,
    ).toBe(404);
    expect((await call('POST', '/api/active-organization', null, { organizationId: null })).status).toBe(401);
    await join(organization.slug, owner, member, 'member');
    // Accepting makes the organization the active account.
    expect(await getActiveMembership(headersOf(member))).toMatchObject({ role: 'member' });

    const membership = await membershipIdOf(organization.id, member.userId);
    await call('DELETE', `/api/organizations/${organization.slug}/members/${membership}`, owner);
    expect(await getActiveMembership(headersOf(member))).toBeNull();
  });

  it('carries the organization and role in a business launch, nothing in a personal one', async () => {
    const { GET: launch } = await import('@/app/launch/[slug]/route');
    const owner = await signUp('launcher-owner');
    const member = await signUp('launcher');
    const organization = await createOrganization(owner, 'Launch Co');
    await join(organization.slug, owner, member, 'viewer');

    const claimsOf = async (person: TPerson) => {
      const state = createLaunchState();
      const response = await launch(
        new Request(`${HUB}/launch/securevault?state=${state}`, { headers: { cookie: person.cookie } }),
        { params: Promise.resolve({ slug: 'securevault' }) },
      );
      const token = /name="token" value="([^"]*)"/.exec(await response.text())?.[1];
      const verified = await verifyLaunchToken(token, {
        secret: process.env.SSO_SECRET ?? '',
        issuer: HUB,
        audience: 'app_securevault',
      });
      if (!verified.ok) throw new Error(verified.reason);
      return verified.claims;
    };

    const business = await claimsOf(member);
    expect(business).toMatchObject({
      sub: member.userId,
      accountType: 'personal',
      organizationId: organization.id,
      organizationRole: 'viewer',
    });
    const personal = await claimsOf(owner);
    expect(personal).not.toHaveProperty('organizationId');
    expect(personal).not.toHaveProperty('organizationRole');

    // The role is read at launch: a changed role travels, a removed member launches as a person.
    const membership = await membershipIdOf(organization.id, member.userId);
    await call('PATCH', `/api/organizations/${organization.slug}/members/${membership}`, owner, {
      role: 'member',
    });
    expect(await claimsOf(member)).toMatchObject({ organizationRole: 'member' });
    await call('DELETE', `/api/organizations/${organization.slug}/members/${membership}`, owner);
    expect(await claimsOf(member)).not.toHaveProperty('organizationId');
  });
});

describe('deleting the account of an owner', () => {
  it('is refused while they own a business account with other members, and changes nothing', async () => {
    const { deleteAccount } = await import('@/lib/account/delete-account');
    const { createStripeClient } = await import('@omg/billing');
    const { db } = await import('@/lib/db');
    const owner = await signUp('deleting-owner');
    const member = await signUp('deleting-member');
    const organization = await createOrganization(owner, 'Keeps Its Owner');
    await join(organization.slug, owner, member, 'member');
    // Refused before any Stripe call: a client that points nowhere would fail the test if one were made.
    const nowhere = createStripeClient('sk_test_never_called', 'http://127.0.0.1:9');
    const attempt = deleteAccount(
      db(),
      nowhere,
      new Headers({ cookie: owner.cookie }),
      { id: owner.userId, email: owner.email },
      {
        email: owner.email,
        password: 'deleting-owner-pass-12',
      },
    );
    await expect(attempt).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('Make another member its owner'),
    });
    const [user] = await hub.db.select().from(schema.user).where(eq(schema.user.id, owner.userId));
    expect(user?.deletedAt).toBeNull();
    expect(await membershipIdOf(organization.id, owner.userId)).toBeDefined();
  });

  it('removes the memberships of a deleted account, withdraws its invitations, and cancels what it owned alone', async () => {
    const { deleteAccount } = await import('@/lib/account/delete-account');
    const { createStripeClient } = await import('@omg/billing');
    const { db } = await import('@/lib/db');
    const owner = await signUp('staying-owner');
    const member = await signUp('leaving-member');
    const team = await createOrganization(owner, 'Loses A Member');
    await join(team.slug, owner, member, 'admin');
    const sent = await pendingInvitation(team.id, member.userId);
    // The member also owns a business account alone, with a live subscription (no Stripe one: ended in the
    // database only, so the client that points nowhere is never called).
    const own = await createOrganization(member, 'Owned Alone');
    const subscriptionId = randomUUID();
    await hub.db.insert(schema.subscription).values({
      id: subscriptionId,
      organizationId: own.id,
      appId: 'securevault',
      plan: 'business_starter',
      status: 'active',
    });
    const nowhere = createStripeClient('sk_test_never_called', 'http://127.0.0.1:9');
    await deleteAccount(
      db(),
      nowhere,
      new Headers({ cookie: member.cookie }),
      { id: member.userId, email: member.email },
      { email: member.email, password: 'leaving-member-pass-12' },
    );
    expect(await membershipIdOf(team.id, member.userId)).toBeUndefined();
    expect(await membershipIdOf(own.id, member.userId)).toBeUndefined();
    expect(await membershipIdOf(team.id, owner.userId)).toBeDefined();
    const [invitation] = await hub.db
      .select({ status: schema.invitation.status })
      .from(schema.invitation)
      .where(eq(schema.invitation.id, sent));
    expect(invitation?.status).toBe('canceled');
    const [subscription] = await hub.db
      .select({ status: schema.subscription.status })
      .from(schema.subscription)
      .where(eq(schema.subscription.id, subscriptionId));
    expect(subscription?.status).toBe('canceled');
  });
});

describe('the invitation page’s view', () => {
  it('tells pending, expired, accepted, declined and revoked apart, and knows no unknown id', async () => {
    const { getInvitation } = await import('@/lib/organizations/get-invitation');
    const { db } = await import('@/lib/db');
    const owner = people.owner as TPerson;
    const id = await pendingInvitation(acme.id, owner.userId);
    expect(await getInvitation(db(), id)).toMatchObject({
      organizationName: 'Acme',
      organizationSlug: acme.slug,
      inviterName: 'Test Customer',
      role: 'member',
      state: 'pending',
    });
    const set = (values: Partial<typeof schema.invitation.$inferInsert>) =>
      hub.db.update(schema.invitation).set(values).where(eq(schema.invitation.id, id));
    await set({ expiresAt: new Date(Date.now() - 1000) });
    expect((await getInvitation(db(), id))?.state).toBe('expired');
    for (const status of ['accepted', 'rejected', 'canceled'] as const) {
      await set({ status });
      expect((await getInvitation(db(), id))?.state).toBe(status);
    }
    expect(await getInvitation(db(), randomUUID())).toBeNull();
    // The database refuses a word the code does not know.
    await expect(set({ status: 'approved' })).rejects.toThrow();
  });
});
