import { randomUUID } from 'node:crypto';
import type { TOrganizationRole } from '@omg/contract';
import { schema } from '@omg/db';
import { clientAddressHeader } from '@omg/platform';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveRoutes, type TRouteServer, type TRouteTable } from '@/testing/route-server';
import { tusMetadata } from '@/testing/tus-client';
import { GET as download } from '../documents/[id]/download/route';
import { DELETE as deleteDocument, PATCH as patchDocument } from '../documents/[id]/route';
import { GET as listDocuments } from '../documents/route';
import { GET as teamActivity } from '../team/activity/route';
import { POST as upload } from '../uploads/route';
import { HEAD as tusHead, PATCH as tusPatch, POST as tusPost } from '../uploads/tus/[[...id]]/route';
import { GET as getAccess, PUT as putAccess } from '../vaults/[id]/access/route';
import { DELETE as deleteVault, PATCH as patchVault } from '../vaults/[id]/route';
import { GET as listVaults } from '../vaults/route';
import { admin, createOrganization, hub, launchedUser, SVD, svd, type TVaultUser } from './vault-fixtures';

/**
 * Vault-level member restrictions (issue 15) over real HTTP: every route that touches a vault or its documents ×
 * a vault limited to some members / open to the whole team × owner, admin, a listed member, an unlisted member,
 * a listed viewer, an unlisted viewer. The list is read on every request, like the role.
 */

type TWho = 'owner' | 'admin' | 'memberIn' | 'memberOut' | 'viewerIn' | 'viewerOut';
const EVERYONE: TWho[] = ['owner', 'admin', 'memberIn', 'memberOut', 'viewerIn', 'viewerOut'];
const ROLES: Record<TWho, TOrganizationRole> = {
  owner: 'owner',
  admin: 'admin',
  memberIn: 'member',
  memberOut: 'member',
  viewerIn: 'viewer',
  viewerOut: 'viewer',
};

type TPerson = TVaultUser;

let server: TRouteServer;
const origin = new URL(SVD).origin;
type THandler = NonNullable<ReturnType<TRouteTable>>['handler'];

beforeAll(async () => {
  server = await serveRoutes((method, pathname) => {
    const route = (handler: unknown, params: Record<string, unknown> = {}) => ({
      handler: handler as THandler,
      params,
    });
    if (pathname === '/api/vaults' && method === 'GET') return route(listVaults);
    const access = /^\/api\/vaults\/([^/]+)\/access$/.exec(pathname)?.[1];
    if (access) return route({ GET: getAccess, PUT: putAccess }[method], { id: access });
    const vault = /^\/api\/vaults\/([^/]+)$/.exec(pathname)?.[1];
    if (vault) return route({ PATCH: patchVault, DELETE: deleteVault }[method], { id: vault });
    if (pathname === '/api/documents' && method === 'GET') return route(listDocuments);
    const doc = /^\/api\/documents\/([^/]+)$/.exec(pathname)?.[1];
    if (doc) return route({ PATCH: patchDocument, DELETE: deleteDocument }[method], { id: doc });
    const file = /^\/api\/documents\/([^/]+)\/download$/.exec(pathname)?.[1];
    if (file && method === 'GET') return route(download, { id: file });
    if (pathname === '/api/uploads' && method === 'POST') return route(upload);
    if (pathname.startsWith('/api/uploads/tus')) {
      const id = pathname.slice('/api/uploads/tus'.length).split('/').filter(Boolean);
      return route({ POST: tusPost, HEAD: tusHead, PATCH: tusPatch }[method], { id });
    }
    if (pathname === '/api/team/activity' && method === 'GET') return route(teamActivity);
    return null;
  }, SVD);
});

afterAll(async () => {
  await server?.close();
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

function call(
  who: TPerson,
  method: string,
  path: string,
  init: { json?: unknown; body?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { cookie: who.cookie, origin, ...init.headers };
  let body: string | undefined = init.body;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  return fetch(new URL(path, server.url), { method, headers, body });
}

async function uploaded(who: TPerson, vaultId: string, name: string): Promise<string> {
  const response = await call(
    who,
    'POST',
    `/api/uploads?vaultId=${vaultId}&name=${encodeURIComponent(name)}`,
    {
      body: `contents of ${name}`,
      headers: { 'content-type': 'text/plain' },
    },
  );
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()).document.id;
}

const tusCreate = (who: TPerson, vaultId: string, filename: string, length = 5) =>
  call(who, 'POST', '/api/uploads/tus', {
    headers: {
      'tus-resumable': '1.0.0',
      'upload-length': String(length),
      'upload-metadata': tusMetadata({ vaultId, filename, filetype: 'text/plain' }),
    },
  });

const tusPath = (response: Response) =>
  new URL(response.headers.get('location') ?? '', `${SVD}/api/uploads/tus/`).pathname;

const people = {} as Record<TWho, TPerson>;
let acme: string;
/** Limited to memberIn and viewerIn. */
let closedVault: string;
/** Open to everyone in the team. */
let openVault: string;
let closedDoc: string;
let openDoc: string;

const setAccess = (
  vaultId: string,
  access: { restricted: boolean; userIds?: string[] },
  who = people.owner,
) => call(who, 'PUT', `/api/vaults/${vaultId}/access`, { json: access });

beforeAll(async () => {
  acme = await createOrganization('Acme');
  for (const who of EVERYONE) people[who] = await launchedUser({ organizationId: acme, role: ROLES[who] });
  openVault = (await (await call(people.owner, 'GET', '/api/vaults')).json()).vaults[0].id;
  closedVault = randomUUID();
  await svd.db.insert(schema.vault).values({
    id: closedVault,
    userId: people.owner.userId,
    organizationId: acme,
    name: 'Board',
  });
  closedDoc = await uploaded(people.owner, closedVault, 'board-minutes.txt');
  openDoc = await uploaded(people.owner, openVault, 'handbook.txt');
  const limited = await setAccess(closedVault, {
    restricted: true,
    userIds: [people.memberIn.userId, people.viewerIn.userId],
  });
  expect(limited.status, await limited.clone().text()).toBe(200);
}, 60_000);

type TCase = {
  name: string;
  /** Expected status in the limited vault, and in the open one. */
  closed: Record<TWho, number>;
  open: Record<TWho, number>;
  run: (who: TPerson, vaultId: string, documentId: string) => Promise<Response>;
};

const all = (status: number) => Object.fromEntries(EVERYONE.map((w) => [w, status])) as Record<TWho, number>;
const by = (managers: number, memberIn: number, memberOut: number, viewerIn: number, viewerOut: number) => ({
  owner: managers,
  admin: managers,
  memberIn,
  memberOut,
  viewerIn,
  viewerOut,
});

/** A document of the owner's in the vault, made for the one call (changing calls use up their own). */
const fresh = (vaultId: string) => uploaded(people.owner, vaultId, `fresh-${randomUUID().slice(0, 6)}.txt`);

const CASES: TCase[] = [
  {
    name: 'GET /api/documents?vaultId=',
    closed: all(200),
    open: all(200),
    run: (who, vaultId) => call(who, 'GET', `/api/documents?vaultId=${vaultId}`),
  },
  {
    name: 'GET /api/documents/[id]/download',
    closed: by(200, 200, 404, 200, 404),
    open: all(200),
    run: (who, _vaultId, documentId) => call(who, 'GET', `/api/documents/${documentId}/download`),
  },
  {
    name: 'POST /api/uploads',
    closed: by(201, 201, 404, 403, 404),
    open: by(201, 201, 201, 403, 403),
    run: (who, vaultId) =>
      call(who, 'POST', `/api/uploads?vaultId=${vaultId}&name=up-${randomUUID().slice(0, 6)}.txt`, {
        body: 'hello',
        headers: { 'content-type': 'text/plain' },
      }),
  },
  {
    name: 'POST /api/uploads/tus',
    closed: by(201, 201, 404, 403, 404),
    open: by(201, 201, 201, 403, 403),
    run: (who, vaultId) => tusCreate(who, vaultId, `tus-${randomUUID().slice(0, 6)}.txt`),
  },
  {
    name: 'PATCH /api/documents/[a manager’s document] (rename)',
    closed: by(200, 403, 404, 403, 403),
    open: by(200, 403, 403, 403, 403),
    run: async (who, vaultId) =>
      call(who, 'PATCH', `/api/documents/${await fresh(vaultId)}`, { json: { name: 'renamed.txt' } }),
  },
  {
    name: 'PATCH /api/documents/[own upload] (rename)',
    closed: by(200, 200, 404, 403, 403),
    open: by(200, 200, 200, 403, 403),
    run: async (who, vaultId) => {
      // Someone who may not upload here gets a document a manager uploaded (the own-upload rule cannot apply).
      const own =
        who === people.memberOut && vaultId === closedVault
          ? await fresh(vaultId)
          : await uploaded(
              who === people.viewerIn || who === people.viewerOut ? people.owner : who,
              vaultId,
              `own-${randomUUID().slice(0, 6)}.txt`,
            );
      return call(who, 'PATCH', `/api/documents/${own}`, { json: { name: 'mine.txt' } });
    },
  },
  {
    name: 'PATCH /api/documents/[own upload elsewhere] (move into the vault)',
    closed: by(200, 200, 404, 403, 403),
    open: by(200, 200, 200, 403, 403),
    run: async (who, vaultId) => {
      const own = await uploaded(
        who === people.viewerIn || who === people.viewerOut ? people.owner : who,
        vaultId === closedVault ? openVault : await thirdVault(),
        `mover-${randomUUID().slice(0, 6)}.txt`,
      );
      return call(who, 'PATCH', `/api/documents/${own}`, { json: { vaultId } });
    },
  },
  {
    name: 'DELETE /api/documents/[a manager’s document]',
    closed: by(204, 403, 404, 403, 403),
    open: by(204, 403, 403, 403, 403),
    run: async (who, vaultId) => call(who, 'DELETE', `/api/documents/${await fresh(vaultId)}`),
  },
  {
    name: 'DELETE /api/documents/[own upload]',
    closed: by(204, 204, 404, 403, 403),
    open: by(204, 204, 204, 403, 403),
    run: async (who, vaultId) => {
      const uploader =
        who === people.viewerIn ||
        who === people.viewerOut ||
        (who === people.memberOut && vaultId === closedVault)
          ? people.owner
          : who;
      const own = await uploaded(uploader, vaultId, `gone-${randomUUID().slice(0, 6)}.txt`);
      return call(who, 'DELETE', `/api/documents/${own}`);
    },
  },
  {
    name: 'PATCH /api/vaults/[id] (rename)',
    // A vault closed to someone is as missing to them as any unknown one.
    closed: by(200, 403, 404, 403, 404),
    open: by(200, 403, 403, 403, 403),
    run: async (who, vaultId) => {
      const [row] = await svd.db.select().from(schema.vault).where(eq(schema.vault.id, vaultId));
      return call(who, 'PATCH', `/api/vaults/${vaultId}`, { json: { name: row?.name } });
    },
  },
  {
    name: 'GET /api/vaults/[id]/access',
    closed: by(200, 403, 403, 403, 403),
    open: by(200, 403, 403, 403, 403),
    run: (who, vaultId) => call(who, 'GET', `/api/vaults/${vaultId}/access`),
  },
  {
    name: 'PUT /api/vaults/[id]/access (unchanged)',
    closed: by(200, 403, 403, 403, 403),
    open: by(200, 403, 403, 403, 403),
    run: (who, vaultId) =>
      setAccess(
        vaultId,
        vaultId === closedVault
          ? { restricted: true, userIds: [people.memberIn.userId, people.viewerIn.userId] }
          : { restricted: false },
        who,
      ),
  },
  {
    name: 'GET /api/team/activity',
    closed: by(200, 403, 403, 403, 403),
    open: by(200, 403, 403, 403, 403),
    run: (who) => call(who, 'GET', '/api/team/activity'),
  },
];

let third: string | null = null;
/** Another open vault, the source of a move into the open vault. */
async function thirdVault(): Promise<string> {
  if (third) return third;
  third = randomUUID();
  await svd.db
    .insert(schema.vault)
    .values({ id: third, userId: people.owner.userId, organizationId: acme, name: 'Archive' });
  return third;
}

describe('every route that touches a vault × limited / open × every kind of member', () => {
  for (const route of CASES) {
    for (const kind of ['closed', 'open'] as const) {
      it.each(EVERYONE)(`${route.name} in the ${kind} vault as %s`, async (who) => {
        const vaultId = kind === 'closed' ? closedVault : openVault;
        const response = await route.run(people[who], vaultId, kind === 'closed' ? closedDoc : openDoc);
        const text = await response.text();
        expect(response.status, text).toBe(route[kind][who]);
        // Nothing of the limited vault ever reaches someone it is closed to.
        if (who === 'memberOut' || who === 'viewerOut') {
          expect(text).not.toContain('board-minutes.txt');
          expect(text).not.toContain(closedVault);
        }
      });
    }
  }
});

const namesIn = async (response: Response) =>
  ((await response.json()).documents as { name: string }[]).map((d) => d.name);

describe('a vault limited to some members', () => {
  it('is listed, searched and counted only for the owner, admins and the listed members', async () => {
    for (const who of EVERYONE) {
      const sees = !who.endsWith('Out');
      const { vaults } = await (await call(people[who], 'GET', '/api/vaults')).json();
      expect(vaults.map((v: { id: string }) => v.id).includes(closedVault), who).toBe(sees);
      expect(vaults.map((v: { id: string }) => v.id)).toContain(openVault);
      expect(
        (await namesIn(await call(people[who], 'GET', '/api/documents?q=minutes'))).includes(
          'board-minutes.txt',
        ),
        who,
      ).toBe(sees);
      expect(await namesIn(await call(people[who], 'GET', '/api/documents?q=handbook'))).toContain(
        'handbook.txt',
      );
    }
  });

  it('holds on the very next request after an owner or admin changes it, both ways', async () => {
    const { memberOut, memberIn } = people;
    expect((await call(memberOut, 'GET', `/api/documents/${closedDoc}/download`)).status).toBe(404);
    expect((await setAccess(closedVault, { restricted: false }, people.admin)).status).toBe(200);
    expect((await call(memberOut, 'GET', `/api/documents/${closedDoc}/download`)).status).toBe(200);
    const limited = await setAccess(closedVault, { restricted: true, userIds: [memberOut.userId] });
    expect(limited.status).toBe(200);
    const access = await limited.json();
    expect(access).toMatchObject({ vaultId: closedVault, vaultName: 'Board', restricted: true });
    const allowed = Object.fromEntries(
      access.members.map((m: { userId: string; allowed: boolean }) => [m.userId, m.allowed]),
    );
    expect(allowed).toMatchObject({
      [people.owner.userId]: true,
      [people.admin.userId]: true,
      [memberOut.userId]: true,
      [memberIn.userId]: false,
      [people.viewerIn.userId]: false,
    });
    expect((await call(memberOut, 'GET', `/api/documents/${closedDoc}/download`)).status).toBe(200);
    expect((await call(memberIn, 'GET', `/api/documents/${closedDoc}/download`)).status).toBe(404);
    // Back as the table above expects it.
    const restored = await setAccess(closedVault, {
      restricted: true,
      userIds: [memberIn.userId, people.viewerIn.userId],
    });
    expect(restored.status).toBe(200);
  });

  it('stops a resumable upload into it when the uploader loses access, and logs a finished one', async () => {
    const { memberIn } = people;
    const created = await tusCreate(memberIn, closedVault, 'resumable-minutes.txt');
    expect(created.status).toBe(201);
    const path = tusPath(created);
    const patch = (offset: number, body: string) =>
      call(memberIn, 'PATCH', path, {
        body,
        headers: {
          'tus-resumable': '1.0.0',
          'upload-offset': String(offset),
          'content-type': 'application/offset+octet-stream',
        },
      });
    expect((await patch(0, 'ab')).status).toBe(204);
    await setAccess(closedVault, { restricted: true, userIds: [people.viewerIn.userId] });
    expect((await patch(2, 'cde')).status).toBe(404);
    expect((await call(memberIn, 'HEAD', path, { headers: { 'tus-resumable': '1.0.0' } })).status).toBe(404);
    await setAccess(closedVault, { restricted: true, userIds: [memberIn.userId, people.viewerIn.userId] });
    expect((await patch(2, 'cde')).status).toBe(204);
    // The finished upload is in the team's activity log, as a simple upload is.
    const log = await call(people.owner, 'GET', '/api/team/activity?action=upload&q=resumable-minutes');
    const { entries } = await log.json();
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'upload',
        subject: 'resumable-minutes.txt',
        userId: memberIn.userId,
      }),
    ]);
  });

  it('lists only members of the team, and exists only in a team', async () => {
    const refused = await setAccess(closedVault, { restricted: true, userIds: [randomUUID()] });
    expect(refused.status).toBe(400);
    const [row] = await svd.db
      .select({ userIds: schema.vaultAccess.userIds })
      .from(schema.vaultAccess)
      .where(eq(schema.vaultAccess.vaultId, closedVault));
    expect(row?.userIds.sort()).toEqual([people.memberIn.userId, people.viewerIn.userId].sort());
    expect((await setAccess(closedVault, { restricted: true })).status).toBe(400);
  });

  it('leaves a member every vault is closed to with none (and creates none for them)', async () => {
    const lonely = await launchedUser({ organizationId: acme, role: 'member' });
    const before = await svd.db.$count(schema.vault, eq(schema.vault.organizationId, acme));
    const opened = await svd.db
      .select({ id: schema.vault.id })
      .from(schema.vault)
      .where(and(eq(schema.vault.organizationId, acme)));
    for (const { id } of opened) {
      if (id === closedVault) continue;
      expect((await setAccess(id, { restricted: true, userIds: [] })).status).toBe(200);
    }
    const { vaults } = await (await call(lonely, 'GET', '/api/vaults')).json();
    expect(vaults).toEqual([]);
    expect(await svd.db.$count(schema.vault, eq(schema.vault.organizationId, acme))).toBe(before);
    expect(await namesIn(await call(lonely, 'GET', '/api/documents'))).toEqual([]);
    for (const { id } of opened) if (id !== closedVault) await setAccess(id, { restricted: false });
  });
  it('writes every change to the team’s activity log: who limited or opened which vault, to whom, from where', async () => {
    const { memberIn, viewerIn } = people;
    const address = '203.0.113.7';
    const stamped = { [clientAddressHeader()]: address };
    const listed = [memberIn.userId, viewerIn.userId];
    const limited = await call(people.admin, 'PUT', `/api/vaults/${closedVault}/access`, {
      json: { restricted: true, userIds: listed },
      headers: stamped,
    });
    expect(limited.status).toBe(200);
    const emails = Object.fromEntries(
      (await limited.json()).members.map((m: { userId: string; email: string }) => [m.userId, m.email]),
    );
    const third = await thirdVault();
    expect(
      (
        await call(people.owner, 'PUT', `/api/vaults/${third}/access`, {
          json: { restricted: false },
          headers: stamped,
        })
      ).status,
    ).toBe(200);
    // A refused change leaves no entry.
    expect(
      (await call(memberIn, 'PUT', `/api/vaults/${closedVault}/access`, { json: { restricted: false } }))
        .status,
    ).toBe(403);

    const log = async (query: string) =>
      (await (await call(people.owner, 'GET', `/api/team/activity?${query}`)).json()).entries;
    const [limitEntry] = await log('action=limit_vault');
    expect(limitEntry).toMatchObject({
      userId: people.admin.userId,
      action: 'limit_vault',
      subject: 'Board',
      vaultId: closedVault,
      ipAddress: address,
    });
    expect(limitEntry.details.to.split(', ').sort()).toEqual(listed.map((id) => emails[id]).sort());
    expect(limitEntry.details.memberIds.split(',').sort()).toEqual([...listed].sort());
    const [openEntry] = await log('action=open_vault');
    expect(openEntry).toMatchObject({
      userId: people.owner.userId,
      action: 'open_vault',
      subject: 'Archive',
      vaultId: third,
      ipAddress: address,
      details: { to: 'the whole team' },
    });
    expect((await log(`action=open_vault&userId=${memberIn.userId}`)).length).toBe(0);

    // The CSV export carries the same entries, whom included.
    const csv = await (
      await call(people.owner, 'GET', '/api/team/activity?format=csv&q=Board&action=limit_vault')
    ).text();
    const [header, row] = csv.trim().split('\r\n');
    expect(header?.endsWith(',Address,Details')).toBe(true);
    expect(row).toContain(`,limit_vault,Board,,${closedVault},${address},`);
    for (const id of listed) expect(row).toContain(emails[id]);
  });
});
