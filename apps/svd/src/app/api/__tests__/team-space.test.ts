import { randomUUID } from 'node:crypto';
import { PLAN_LIMITS, SVD_APP_ID } from '@omg/contract';
import { schema } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { seedHubSession, uniqueEmail } from '@omg/db/testing';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSvdSession } from '@/lib/auth/session';
import { spendLaunchToken } from '@/lib/auth/spend-launch-token';
import { indexDocument } from '@/lib/documents/index-document';
import { getVaultStatus } from '@/lib/entitlements/get-vault-status';
import { logger } from '@/lib/logger';
import { storeEncrypted } from '@/lib/storage';
import { vaultStorage } from '@/lib/vault-storage';
import { appRouteTable, loadAppRoutes, servedRoutes, type TAppRoute } from '@/testing/app-routes';
import { serveRoutes, type TRouteServer } from '@/testing/route-server';
import { streamOf } from '@/testing/storage';
import { tusMetadata } from '@/testing/tus-client';
import {
  addMember,
  admin,
  createOrganization,
  hub,
  launchedUser,
  occupyStorage,
  removeMember,
  SVD,
  svd,
  type TVaultUser,
} from './vault-fixtures';

/**
 * The team space (issue 15) over real HTTP: every SVD route × owner / admin / member / viewer / former member /
 * someone of another organization / a personal user. Roles are read from core."Membership" on each request.
 */

type TWho = 'owner' | 'admin' | 'member' | 'viewer' | 'former' | 'other' | 'personal';
const EVERYONE: TWho[] = ['owner', 'admin', 'member', 'viewer', 'former', 'other', 'personal'];

type TPerson = TVaultUser;

let server: TRouteServer;
const origin = new URL(SVD).origin;

/** Every route file of the app, imported (the table below must have a row for each of them). */
let appRoutes: TAppRoute[];

beforeAll(async () => {
  appRoutes = await loadAppRoutes();
  server = await serveRoutes(appRouteTable(appRoutes), SVD);
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

async function uploadText(who: TPerson, vaultId: string, name: string, text = `contents of ${name}`) {
  return call(who, 'POST', `/api/uploads?vaultId=${vaultId}&name=${encodeURIComponent(name)}`, {
    body: text,
    headers: { 'content-type': 'text/plain' },
  });
}

async function uploaded(who: TPerson, vaultId: string, name: string, text?: string): Promise<string> {
  const response = await uploadText(who, vaultId, name, text);
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()).document.id;
}

const people = {} as Record<TWho, TPerson>;
let acme: string;
let teamVault: string;
let ownerDoc: string;
/** A former version of ownerDoc. */
let ownerVersion: string;

beforeAll(async () => {
  acme = await createOrganization('Acme', 'business_starter');
  const globex = await createOrganization('Globex', 'business_starter');
  for (const role of ['owner', 'admin', 'member', 'viewer'] as const) {
    people[role] = await launchedUser({ organizationId: acme, role });
  }
  people.former = await launchedUser({ organizationId: acme, role: 'member' });
  people.other = await launchedUser({ organizationId: globex, role: 'owner' });
  people.personal = await launchedUser();
  const vaults = await (await call(people.owner, 'GET', '/api/vaults')).json();
  teamVault = vaults.vaults[0].id;
  ownerDoc = await uploaded(people.owner, teamVault, 'owner-plan.txt');
  // A second version and a thumbnail of it, for the version and thumbnail rows.
  const again = await call(
    people.owner,
    'POST',
    `/api/uploads?vaultId=${teamVault}&name=owner-plan.txt&onConflict=version`,
    { body: 'the second plan', headers: { 'content-type': 'text/plain' } },
  );
  expect(again.status, await again.clone().text()).toBe(200);
  ownerVersion = await formerVersionOf(ownerDoc);
  await storeThumbnail(ownerDoc);
  // The former member had uploaded before they were removed: the document stays with the team.
  await uploaded(people.former, teamVault, 'left-behind.txt');
  await removeMember(acme, people.former.userId);
  // Everyone else has something of their own, so an empty answer is not mistaken for isolation.
  for (const who of ['other', 'personal'] as const) {
    const own = (await (await call(people[who], 'GET', '/api/vaults')).json()).vaults[0].id;
    await uploaded(people[who], own, `${who}-secret.txt`);
  }
});

/** Expected status per person; `team` = owner, admin, member, viewer. */
function expectations(table: Partial<Record<TWho | 'team' | 'managers' | 'writers', number>>) {
  const out = {} as Record<TWho, number>;
  for (const who of EVERYONE) {
    const group =
      who === 'owner' || who === 'admin'
        ? (table[who] ?? table.managers ?? table.writers ?? table.team)
        : who === 'member'
          ? (table[who] ?? table.writers ?? table.team)
          : who === 'viewer'
            ? (table[who] ?? table.team)
            : table[who];
    if (group === undefined) throw new Error(`no expectation for ${who}`);
    out[who] = group;
  }
  return out;
}

// former: a removed member's session is refused on every team route (403 "no longer a member").
// other / personal: another space — a team's vault or document there is as missing as any unknown id (404).
const ROUTES: Array<{
  name: string;
  /** The route file and method this row calls ("METHOD /pattern", as servedRoutes lists them). */
  route: string;
  expected: Record<TWho, number>;
  run: (who: TPerson) => Promise<Response>;
}> = [
  {
    name: 'GET /api/vaults',
    route: 'GET /api/vaults',
    expected: expectations({ team: 200, former: 403, other: 200, personal: 200 }),
    run: (who) => call(who, 'GET', '/api/vaults'),
  },
  {
    name: 'POST /api/vaults',
    route: 'POST /api/vaults',
    expected: expectations({
      managers: 201,
      member: 403,
      viewer: 403,
      former: 403,
      other: 201,
      personal: 201,
    }),
    run: (who) => call(who, 'POST', '/api/vaults', { json: { name: `Vault ${randomUUID().slice(0, 8)}` } }),
  },
  {
    name: 'PATCH /api/vaults/[team vault]',
    route: 'PATCH /api/vaults/[id]',
    expected: expectations({
      managers: 200,
      member: 403,
      viewer: 403,
      former: 403,
      other: 404,
      personal: 404,
    }),
    run: (who) => call(who, 'PATCH', `/api/vaults/${teamVault}`, { json: { name: `Team documents` } }),
  },
  {
    name: 'DELETE /api/vaults/[empty team vault]',
    route: 'DELETE /api/vaults/[id]',
    expected: expectations({
      managers: 204,
      member: 403,
      viewer: 403,
      former: 403,
      other: 404,
      personal: 404,
    }),
    run: async (who) => {
      const made = await call(people.owner, 'POST', '/api/vaults', {
        json: { name: `Empty ${randomUUID()}` },
      });
      const { vault } = await made.json();
      return call(who, 'DELETE', `/api/vaults/${vault.id}`);
    },
  },
  {
    name: 'GET /api/documents',
    route: 'GET /api/documents',
    expected: expectations({ team: 200, former: 403, other: 200, personal: 200 }),
    run: (who) => call(who, 'GET', '/api/documents'),
  },
  {
    name: 'GET /api/documents?vaultId=[team vault]',
    route: 'GET /api/documents',
    expected: expectations({ team: 200, former: 403, other: 200, personal: 200 }),
    run: (who) => call(who, 'GET', `/api/documents?vaultId=${teamVault}`),
  },
  {
    name: 'GET /api/documents/[owner’s document]/download',
    route: 'GET /api/documents/[id]/download',
    expected: expectations({ team: 200, former: 403, other: 404, personal: 404 }),
    run: (who) => call(who, 'GET', `/api/documents/${ownerDoc}/download`),
  },
  {
    name: 'PATCH /api/documents/[owner’s document] (rename)',
    route: 'PATCH /api/documents/[id]',
    expected: expectations({
      managers: 200,
      member: 403,
      viewer: 403,
      former: 403,
      other: 404,
      personal: 404,
    }),
    run: (who) => call(who, 'PATCH', `/api/documents/${ownerDoc}`, { json: { name: 'owner-plan.txt' } }),
  },
  {
    name: 'PATCH /api/documents/[own upload] (rename)',
    route: 'PATCH /api/documents/[id]',
    expected: expectations({ writers: 200, viewer: 403, former: 403, other: 200, personal: 200 }),
    run: async (who) => {
      const vaults = (await (await call(who, 'GET', '/api/vaults')).json()).vaults;
      // A viewer or former member cannot upload: their "own" document is one a manager uploaded for the test.
      const uploader = who === people.viewer || who === people.former ? people.owner : who;
      const vaultId = vaults?.[0]?.id ?? teamVault;
      const id = await uploaded(uploader, vaultId, `mine-${randomUUID().slice(0, 6)}.txt`);
      return call(who, 'PATCH', `/api/documents/${id}`, { json: { name: 'renamed.txt' } });
    },
  },
  {
    name: 'DELETE /api/documents/[a manager’s upload]',
    route: 'DELETE /api/documents/[id]',
    expected: expectations({
      managers: 204,
      member: 403,
      viewer: 403,
      former: 403,
      other: 404,
      personal: 404,
    }),
    run: async (who) => {
      const id = await uploaded(people.admin, teamVault, `doomed-${randomUUID().slice(0, 6)}.txt`);
      return call(who, 'DELETE', `/api/documents/${id}`);
    },
  },
  {
    name: 'DELETE /api/documents/[own upload]',
    route: 'DELETE /api/documents/[id]',
    expected: expectations({ writers: 204, viewer: 403, former: 403, other: 204, personal: 204 }),
    run: async (who) => {
      const vaults = (await (await call(who, 'GET', '/api/vaults')).json()).vaults;
      const uploader = who === people.viewer || who === people.former ? people.owner : who;
      const id = await uploaded(
        uploader,
        vaults?.[0]?.id ?? teamVault,
        `own-${randomUUID().slice(0, 6)}.txt`,
      );
      return call(who, 'DELETE', `/api/documents/${id}`);
    },
  },
  {
    name: 'HEAD /api/uploads/tus/[the owner’s upload]',
    route: 'HEAD /api/uploads/tus/[[...id]]',
    expected: expectations({
      owner: 200,
      admin: 404,
      member: 404,
      viewer: 404,
      former: 403,
      other: 404,
      personal: 404,
    }),
    run: async (who) => {
      const created = await call(people.owner, 'POST', '/api/uploads/tus', {
        headers: {
          'tus-resumable': '1.0.0',
          'upload-length': '5',
          'upload-metadata': tusMetadata({ vaultId: teamVault, filename: 'tus.txt', filetype: 'text/plain' }),
        },
      });
      const location = created.headers.get('location') ?? '';
      return call(who, 'HEAD', new URL(location, `${SVD}/api/uploads/tus/`).pathname, {
        headers: { 'tus-resumable': '1.0.0' },
      });
    },
  },
  {
    name: 'POST /api/uploads into the team vault',
    route: 'POST /api/uploads',
    expected: expectations({ writers: 201, viewer: 403, former: 403, other: 404, personal: 404 }),
    run: (who) => uploadText(who, teamVault, `up-${randomUUID().slice(0, 6)}.txt`),
  },
  {
    name: 'POST /api/uploads/tus into the team vault',
    route: 'POST /api/uploads/tus/[[...id]]',
    expected: expectations({ writers: 201, viewer: 403, former: 403, other: 404, personal: 404 }),
    run: (who) =>
      call(who, 'POST', '/api/uploads/tus', {
        headers: {
          'tus-resumable': '1.0.0',
          'upload-length': '5',
          'upload-metadata': tusMetadata({ vaultId: teamVault, filename: 'tus.txt', filetype: 'text/plain' }),
        },
      }),
  },
  {
    name: 'GET /api/usage',
    route: 'GET /api/usage',
    expected: expectations({ team: 200, former: 403, other: 200, personal: 200 }),
    run: (who) => call(who, 'GET', '/api/usage'),
  },
  {
    // Another organization's owner reads their own team's log (Globex), never Acme's.
    name: 'GET /api/team/activity',
    route: 'GET /api/team/activity',
    expected: expectations({
      managers: 200,
      member: 403,
      viewer: 403,
      former: 403,
      other: 200,
      personal: 404,
    }),
    run: (who) => call(who, 'GET', '/api/team/activity'),
  },
  {
    name: 'GET /api/team/activity?format=csv',
    route: 'GET /api/team/activity',
    expected: expectations({
      managers: 200,
      member: 403,
      viewer: 403,
      former: 403,
      other: 200,
      personal: 404,
    }),
    run: (who) => call(who, 'GET', '/api/team/activity?format=csv'),
  },
  {
    // The account export is the user's own data, whatever space they are in: it never holds a team's.
    name: 'GET /api/account/export',
    route: 'GET /api/account/export',
    expected: expectations({ team: 200, former: 200, other: 200, personal: 200 }),
    run: (who) => call(who, 'GET', '/api/account/export'),
  },
  // Issue 16's routes: search, previews, thumbnails, versions, bulk actions, folders, trash, share links,
  // vault access (issue 15) and the version setting, under the same rules.
  {
    name: 'GET /api/documents?q= (search)',
    route: 'GET /api/documents',
    expected: expectations({ team: 200, former: 403, other: 200, personal: 200 }),
    run: (who) => call(who, 'GET', '/api/documents?q=owner-plan'),
  },
  {
    name: 'GET /api/documents/[owner’s document]/preview',
    route: 'GET /api/documents/[id]/preview',
    expected: expectations({ team: 200, former: 403, other: 404, personal: 404 }),
    run: (who) => call(who, 'GET', `/api/documents/${ownerDoc}/preview`),
  },
  {
    name: 'HEAD /api/documents/[owner’s document]/preview',
    route: 'HEAD /api/documents/[id]/preview',
    expected: expectations({ team: 200, former: 403, other: 404, personal: 404 }),
    run: (who) => call(who, 'HEAD', `/api/documents/${ownerDoc}/preview`),
  },
  {
    name: 'GET /api/documents/[owner’s document]/thumbnail',
    route: 'GET /api/documents/[id]/thumbnail',
    expected: expectations({ team: 200, former: 403, other: 404, personal: 404 }),
    run: (who) => call(who, 'GET', `/api/documents/${ownerDoc}/thumbnail`),
  },
  {
    name: 'GET /api/documents/[owner’s document]/versions',
    route: 'GET /api/documents/[id]/versions',
    expected: expectations({ team: 200, former: 403, other: 404, personal: 404 }),
    run: (who) => call(who, 'GET', `/api/documents/${ownerDoc}/versions`),
  },
  {
    name: 'GET /api/documents/[owner’s document]/versions/[former version]/download',
    route: 'GET /api/documents/[id]/versions/[versionId]/download',
    expected: expectations({ team: 200, former: 403, other: 404, personal: 404 }),
    run: (who) => call(who, 'GET', `/api/documents/${ownerDoc}/versions/${ownerVersion}/download`),
  },
  {
    name: 'POST /api/documents/[a manager’s document]/versions/[former version]/restore',
    route: 'POST /api/documents/[id]/versions/[versionId]/restore',
    expected: expectations({
      managers: 200,
      member: 403,
      viewer: 403,
      former: 403,
      other: 404,
      personal: 404,
    }),
    run: async (who) => {
      const { documentId, versionId } = await versionedManagerDoc();
      return call(who, 'POST', `/api/documents/${documentId}/versions/${versionId}/restore`);
    },
  },
  {
    name: 'POST /api/documents/bulk/delete [a manager’s upload]',
    route: 'POST /api/documents/bulk/delete',
    expected: expectations({
      managers: 200,
      member: 403,
      viewer: 403,
      former: 403,
      other: 404,
      personal: 404,
    }),
    run: async (who) =>
      call(who, 'POST', '/api/documents/bulk/delete', { json: { ids: [await managerDoc()] } }),
  },
  {
    name: 'POST /api/documents/bulk/move [a manager’s upload]',
    route: 'POST /api/documents/bulk/move',
    expected: expectations({
      managers: 200,
      member: 403,
      viewer: 403,
      former: 403,
      other: 404,
      personal: 404,
    }),
    run: async (who) =>
      call(who, 'POST', '/api/documents/bulk/move', { json: { ids: [await managerDoc()], folderId: null } }),
  },
  {
    name: 'POST /api/documents/bulk/download [owner’s document] (ZIP)',
    route: 'POST /api/documents/bulk/download',
    expected: expectations({ team: 200, former: 403, other: 404, personal: 404 }),
    run: (who) =>
      call(who, 'POST', '/api/documents/bulk/download', {
        body: new URLSearchParams({ ids: ownerDoc }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
  },
  {
    name: 'GET /api/folders?vaultId=[team vault]',
    route: 'GET /api/folders',
    expected: expectations({ team: 200, former: 403, other: 404, personal: 404 }),
    run: (who) => call(who, 'GET', `/api/folders?vaultId=${teamVault}`),
  },
  {
    name: 'POST /api/folders into the team vault',
    route: 'POST /api/folders',
    expected: expectations({ writers: 201, viewer: 403, former: 403, other: 404, personal: 404 }),
    run: (who) =>
      call(who, 'POST', '/api/folders', { json: { vaultId: teamVault, name: freshName('Folder') } }),
  },
  {
    name: 'PATCH /api/folders/[the owner’s folder] (rename)',
    route: 'PATCH /api/folders/[id]',
    expected: expectations({
      managers: 200,
      member: 403,
      viewer: 403,
      former: 403,
      other: 404,
      personal: 404,
    }),
    run: async (who) =>
      call(who, 'PATCH', `/api/folders/${await ownerFolder()}`, { json: { name: freshName('R') } }),
  },
  {
    name: 'DELETE /api/folders/[the owner’s folder]',
    route: 'DELETE /api/folders/[id]',
    expected: expectations({
      managers: 204,
      member: 403,
      viewer: 403,
      former: 403,
      other: 404,
      personal: 404,
    }),
    run: async (who) => call(who, 'DELETE', `/api/folders/${await ownerFolder()}`),
  },
  {
    name: 'POST /api/folders/move [a manager’s upload] to the root',
    route: 'POST /api/folders/move',
    expected: expectations({
      managers: 200,
      member: 403,
      viewer: 403,
      former: 403,
      other: 404,
      personal: 404,
    }),
    run: async (who) =>
      call(who, 'POST', '/api/folders/move', {
        json: { documentId: await managerDoc(), targetFolderId: null },
      }),
  },
  {
    name: 'GET /api/trash',
    route: 'GET /api/trash',
    expected: expectations({ team: 200, former: 403, other: 200, personal: 200 }),
    run: (who) => call(who, 'GET', '/api/trash'),
  },
  {
    // A member empties what they may delete (their own uploads and folders); another organization's owner and a
    // personal user empty their own trash, never the team's.
    name: 'DELETE /api/trash (empty it)',
    route: 'DELETE /api/trash',
    expected: expectations({
      writers: 200,
      viewer: 403,
      former: 403,
      other: 200,
      personal: 200,
    }),
    run: (who) => call(who, 'DELETE', '/api/trash'),
  },
  {
    name: 'DELETE /api/trash/documents/[a manager’s trashed upload] (for good)',
    route: 'DELETE /api/trash/[kind]/[id]',
    expected: expectations({
      managers: 204,
      member: 403,
      viewer: 403,
      former: 403,
      other: 404,
      personal: 404,
    }),
    run: async (who) => call(who, 'DELETE', `/api/trash/documents/${await trashedManagerDoc()}`),
  },
  {
    name: 'POST /api/trash/documents/[a manager’s trashed upload]/restore',
    route: 'POST /api/trash/[kind]/[id]/restore',
    expected: expectations({
      managers: 200,
      member: 403,
      viewer: 403,
      former: 403,
      other: 404,
      personal: 404,
    }),
    run: async (who) => call(who, 'POST', `/api/trash/documents/${await trashedManagerDoc()}/restore`),
  },
  {
    name: 'GET /api/shares',
    route: 'GET /api/shares',
    expected: expectations({ team: 200, former: 403, other: 200, personal: 200 }),
    run: (who) => call(who, 'GET', '/api/shares'),
  },
  {
    name: 'POST /api/shares [owner’s document]',
    route: 'POST /api/shares',
    expected: expectations({
      managers: 201,
      member: 403,
      viewer: 403,
      former: 403,
      other: 404,
      personal: 404,
    }),
    run: (who) => call(who, 'POST', '/api/shares', { json: { documentId: ownerDoc } }),
  },
  {
    name: 'DELETE /api/shares/[the owner’s link] (revoke)',
    route: 'DELETE /api/shares/[id]',
    expected: expectations({
      managers: 204,
      member: 404,
      viewer: 403,
      former: 403,
      other: 404,
      personal: 404,
    }),
    run: async (who) => call(who, 'DELETE', `/api/shares/${await ownerLink()}`),
  },
  {
    name: 'GET /api/shares/[the owner’s link]/uses',
    route: 'GET /api/shares/[id]/uses',
    expected: expectations({
      managers: 200,
      member: 404,
      viewer: 404,
      former: 403,
      other: 404,
      personal: 404,
    }),
    run: async (who) => call(who, 'GET', `/api/shares/${await ownerLink()}/uses`),
  },
  {
    name: 'GET /api/vaults/[team vault]/access',
    route: 'GET /api/vaults/[id]/access',
    expected: expectations({
      managers: 200,
      member: 403,
      viewer: 403,
      former: 403,
      other: 404,
      personal: 404,
    }),
    run: (who) => call(who, 'GET', `/api/vaults/${teamVault}/access`),
  },
  {
    name: 'PUT /api/vaults/[team vault]/access (open to everyone)',
    route: 'PUT /api/vaults/[id]/access',
    expected: expectations({
      managers: 200,
      member: 403,
      viewer: 403,
      former: 403,
      other: 404,
      personal: 404,
    }),
    run: (who) => call(who, 'PUT', `/api/vaults/${teamVault}/access`, { json: { restricted: false } }),
  },
  {
    name: 'GET /api/versions/settings',
    route: 'GET /api/versions/settings',
    expected: expectations({ team: 200, former: 403, other: 200, personal: 200 }),
    run: (who) => call(who, 'GET', '/api/versions/settings'),
  },
  {
    // Another organization's owner and a personal user set their own space's setting.
    name: 'PUT /api/versions/settings',
    route: 'PUT /api/versions/settings',
    expected: expectations({
      managers: 200,
      member: 403,
      viewer: 403,
      former: 403,
      other: 200,
      personal: 200,
    }),
    run: (who) => call(who, 'PUT', '/api/versions/settings', { json: { keepVersions: 10 } }),
  },
  {
    name: 'PATCH /api/uploads/tus/[the owner’s upload]',
    route: 'PATCH /api/uploads/tus/[[...id]]',
    expected: expectations({
      owner: 204,
      admin: 404,
      member: 404,
      viewer: 404,
      former: 403,
      other: 404,
      personal: 404,
    }),
    run: async (who) =>
      call(who, 'PATCH', await ownerTusUpload(), {
        body: 'hello',
        headers: {
          'tus-resumable': '1.0.0',
          'upload-offset': '0',
          'content-type': 'application/offset+octet-stream',
        },
      }),
  },
  {
    name: 'DELETE /api/uploads/tus/[the owner’s upload]',
    route: 'DELETE /api/uploads/tus/[[...id]]',
    expected: expectations({
      owner: 204,
      admin: 404,
      member: 404,
      viewer: 404,
      former: 403,
      other: 404,
      personal: 404,
    }),
    run: async (who) =>
      call(who, 'DELETE', await ownerTusUpload(), { headers: { 'tus-resumable': '1.0.0' } }),
  },
];

/**
 * Routes without a row above, and why: none of them works in a space. A route added to the app is in neither
 * list and fails 'covers every route the app serves'.
 */
const NOT_SPACE_ROUTES: Record<string, string> = {
  'GET /api/health': 'readiness probe, no session',
  'GET /api/health/live': 'liveness probe, no session',
  'GET /api/bench/bare': 'the benchmark’s baseline, no session (404 in production)',
  'GET /bench/bare': 'the benchmark’s baseline page, no session (404 in production)',
  'GET /login': 'the launch from the Hub (login tests), before any session',
  'POST /login': 'the launch from the Hub (login tests), before any session',
  'GET /login/start': 'the launch from the Hub (login tests), before any session',
  'POST /logout': 'ends the session whatever its space',
  'OPTIONS /api/uploads/tus/[[...id]]': 'tus’s capability answer, no document data',
  'POST /api/shares/public/[token]':
    'a share link’s recipient has no session; share-links.test covers a team document’s link',
  'POST /api/shares/public/[token]/download':
    'a share link’s recipient has no session; share-links.test covers a team document’s link',
};

const freshName = (prefix: string) => `${prefix} ${randomUUID().slice(0, 8)}`;

/** A document an admin uploaded (a manager's, not the caller's own), for one changing call. */
const managerDoc = () => uploaded(people.admin, teamVault, `${freshName('managed')}.txt`);

/** A manager's document put in the trash. */
async function trashedManagerDoc(): Promise<string> {
  const id = await managerDoc();
  expect((await call(people.admin, 'DELETE', `/api/documents/${id}`)).status).toBe(204);
  return id;
}

/** A manager's document with a former version. */
async function versionedManagerDoc(): Promise<{ documentId: string; versionId: string }> {
  const name = `${freshName('versioned')}.txt`;
  const documentId = await uploaded(people.admin, teamVault, name);
  const again = await call(
    people.admin,
    'POST',
    `/api/uploads?vaultId=${teamVault}&name=${encodeURIComponent(name)}&onConflict=version`,
    { body: 'second draft', headers: { 'content-type': 'text/plain' } },
  );
  expect(again.status, await again.clone().text()).toBe(200);
  return { documentId, versionId: await formerVersionOf(documentId) };
}

async function formerVersionOf(documentId: string): Promise<string> {
  const { versions } = await (
    await call(people.owner, 'GET', `/api/documents/${documentId}/versions`)
  ).json();
  return versions.find((v: { current: boolean }) => !v.current).id;
}

async function ownerFolder(): Promise<string> {
  const made = await call(people.owner, 'POST', '/api/folders', {
    json: { vaultId: teamVault, name: freshName('Owned') },
  });
  expect(made.status).toBe(201);
  return (await made.json()).folder.id;
}

async function ownerLink(): Promise<string> {
  const made = await call(people.owner, 'POST', '/api/shares', { json: { documentId: ownerDoc } });
  expect(made.status).toBe(201);
  return (await made.json()).link.id;
}

/** A ready thumbnail of the document's current content, stored encrypted as the thumbnail job stores one. */
async function storeThumbnail(documentId: string) {
  const webp = Buffer.from(
    'RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00',
    'latin1',
  );
  const { store, masterKey } = vaultStorage();
  const object = await storeEncrypted(store, masterKey, streamOf(webp), { maxBytes: webp.length });
  const [doc] = await svd.db
    .select({ storageKey: schema.document.storageKey })
    .from(schema.document)
    .where(eq(schema.document.id, documentId));
  await svd.db.insert(schema.thumbnail).values({
    documentId,
    sourceStorageKey: doc?.storageKey ?? '',
    status: 'ready',
    storageKey: object.storageKey,
    wrappedKey: object.wrappedKey,
    sizeBytes: webp.length,
    width: 1,
    height: 1,
  });
}

/** The path of a resumable upload the owner started into the team vault. */
async function ownerTusUpload(): Promise<string> {
  const created = await call(people.owner, 'POST', '/api/uploads/tus', {
    headers: {
      'tus-resumable': '1.0.0',
      'upload-length': '5',
      'upload-metadata': tusMetadata({
        vaultId: teamVault,
        filename: `${freshName('tus')}.txt`,
        filetype: 'text/plain',
      }),
    },
  });
  expect(created.status).toBe(201);
  return new URL(created.headers.get('location') ?? '', `${SVD}/api/uploads/tus/`).pathname;
}

describe('every SVD route × every kind of user', () => {
  it('covers every route the app serves: a row above, or a reason it is not a space route', () => {
    const served = servedRoutes(appRoutes);
    const rows = new Set(ROUTES.map((route) => route.route));
    expect(served.filter((route) => !rows.has(route) && !(route in NOT_SPACE_ROUTES))).toEqual([]);
    // And no row or reason names a route the app does not serve (a renamed route keeps no stale row).
    expect([...rows, ...Object.keys(NOT_SPACE_ROUTES)].filter((route) => !served.includes(route))).toEqual(
      [],
    );
  });

  for (const route of ROUTES) {
    it.each(EVERYONE)(`${route.name} as %s`, async (who) => {
      const response = await route.run(people[who]);
      const text = await response.text();
      expect(response.status, text).toBe(route.expected[who]);
      // (A HEAD answer has no body to read the words from.)
      if (response.status === 403 && who === 'former' && !route.name.startsWith('HEAD'))
        expect(text).toContain('no longer a member');
      // Nothing of Acme's ever reaches someone outside it.
      if (who === 'other' || who === 'personal' || who === 'former') {
        expect(text).not.toContain('owner-plan.txt');
        expect(text).not.toContain('left-behind.txt');
        expect(text).not.toContain(teamVault);
      }
      if (who !== 'other') expect(text).not.toContain('other-secret.txt');
      if (who !== 'personal') expect(text).not.toContain('personal-secret.txt');
    });
  }
});

describe('the team space', () => {
  it('shows every member the team’s documents, including those of a member who left', async () => {
    for (const who of ['owner', 'admin', 'member', 'viewer'] as const) {
      const { documents } = await (await call(people[who], 'GET', '/api/documents')).json();
      const names = documents.map((d: { name: string }) => d.name);
      expect(names).toEqual(expect.arrayContaining(['owner-plan.txt', 'left-behind.txt']));
    }
  });

  it('keeps team documents out of the uploader’s personal space and export', async () => {
    const { rows } = await svd.pool.query<{ userId: string; organizationId: string | null }>(
      `SELECT "userId", "organizationId" FROM securevault."Document" WHERE id = $1`,
      [ownerDoc],
    );
    expect(rows[0]).toEqual({ userId: people.owner.userId, organizationId: acme });
    const exported = await (await call(people.owner, 'GET', '/api/account/export')).text();
    expect(exported).not.toContain('owner-plan.txt');
  });

  it('shows the pooled plan to every member and per-member usage only to owners and admins', async () => {
    for (const who of ['owner', 'admin', 'member', 'viewer'] as const) {
      const body = await (await call(people[who], 'GET', '/api/usage')).json();
      expect(body.plan).toBe('business_starter');
      expect(body.limits.storageBytes).toBe(PLAN_LIMITS.business_starter.storageBytes);
      expect(body.team).toEqual({ organizationId: acme, role: who });
      if (who === 'owner' || who === 'admin') {
        const mine = body.members.find((m: { userId: string }) => m.userId === people.owner.userId);
        expect(mine.storageBytes).toBeGreaterThan(0);
        // The member who left is listed without a role: their uploads still count.
        const gone = body.members.find((m: { userId: string }) => m.userId === people.former.userId);
        expect(gone).toMatchObject({ role: null, documentCount: 1 });
      } else {
        expect(body.members).toBeUndefined();
      }
    }
  });

  it('refuses a member removed since their last request, and applies a downgrade at once', async () => {
    const organizationId = await createOrganization('Initech', 'business_starter');
    const colleague = await launchedUser({ organizationId, role: 'member' });
    const vaultId = (await (await call(colleague, 'GET', '/api/vaults')).json()).vaults[0].id;
    expect((await uploadText(colleague, vaultId, 'before.txt')).status).toBe(201);
    await hub.pool.query(
      `UPDATE core."Membership" SET role = 'viewer' WHERE "organizationId" = $1 AND "userId" = $2`,
      [organizationId, colleague.userId],
    );
    expect((await uploadText(colleague, vaultId, 'after.txt')).status).toBe(403);
    expect((await call(colleague, 'GET', '/api/documents')).status).toBe(200);
    await removeMember(organizationId, colleague.userId);
    const refused = await call(colleague, 'GET', '/api/documents');
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toMatch(/no longer a member/);
  });

  it('refuses uploads to every member of a team without a business plan, reads still work', async () => {
    const organizationId = await createOrganization('Unpaid', null);
    const owner = await launchedUser({ organizationId, role: 'owner' });
    const vaultId = (await (await call(owner, 'GET', '/api/vaults')).json()).vaults[0].id;
    const refused = await uploadText(owner, vaultId, 'x.txt');
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toMatch(/no SecureVault Docs business plan/);
    expect((await call(owner, 'GET', '/api/usage')).status).toBe(200);
  });

  it('over the pooled limit after a downgrade: read-only for every member, with the same words', async () => {
    const organizationId = await createOrganization('Shrunk', 'business_starter');
    const owner = await launchedUser({ organizationId, role: 'owner' });
    const member = await launchedUser({ organizationId, role: 'member' });
    const vaultId = (await (await call(owner, 'GET', '/api/vaults')).json()).vaults[0].id;
    await occupyStorage(owner.userId, vaultId, PLAN_LIMITS.business_starter.storageBytes + 1, organizationId);
    for (const who of [owner, member]) {
      const body = await (await call(who, 'GET', '/api/usage')).json();
      expect(body.overStorage).toBe(true);
      expect(body.uploadBlockedReason).toMatch(/team is using more storage/);
      const refused = await uploadText(who, vaultId, 'more.txt');
      expect(refused.status).toBe(403);
    }
  });
});

describe('the pooled quota', () => {
  it('never goes over when several members race for the last bytes', async () => {
    const organizationId = await createOrganization('Racers', 'business_starter');
    const members = await Promise.all(
      (['owner', 'admin', 'member', 'member', 'member', 'member'] as const).map((role) =>
        launchedUser({ organizationId, role }),
      ),
    );
    const vaultId = (await (await call(members[0] as TPerson, 'GET', '/api/vaults')).json()).vaults[0].id;
    const size = 1000;
    // Room for exactly two more of the six files.
    const limit = PLAN_LIMITS.business_starter.storageBytes;
    await occupyStorage((members[0] as TPerson).userId, vaultId, limit - 2 * size - 10, organizationId);
    const answers = await Promise.all(
      members.map((who, i) => uploadText(who, vaultId, `race-${i}.txt`, 'x'.repeat(size))),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, 201, 403, 403, 403, 403]);
    const [used] = await svd.db
      .select({ bytes: sql<string>`sum(${schema.document.sizeBytes})` })
      .from(schema.document)
      .where(eq(schema.document.organizationId, organizationId));
    expect(Number(used?.bytes)).toBeLessThanOrEqual(limit);
    // Each member's own personal quota was never touched.
    const personal = await svd.db
      .select({ id: schema.document.id })
      .from(schema.document)
      .where(and(eq(schema.document.userId, (members[1] as TPerson).userId), sql`"organizationId" is null`));
    expect(personal).toEqual([]);
  });
});

describe('the launch', () => {
  it('records the token’s organization on the session, and reads the role from the membership, not the token', async () => {
    const organizationId = await createOrganization('Launchco', 'business_starter');
    const email = uniqueEmail('launch');
    const sub = await seedUser(hub.db, { email, password: 'a-password-123', name: 'L' });
    await addMember(organizationId, sub, 'viewer');
    const sid = await seedHubSession(hub.db, sub);
    const now = Math.floor(Date.now() / 1000);
    const spent = await spendLaunchToken(svd.db, {
      ...{ iss: 'test', aud: SVD_APP_ID, sub, email, name: 'L', accountType: 'personal', sid },
      ...{ jti: randomUUID(), iat: now, exp: now + 60 },
      // The token says admin; the membership says viewer, and the membership wins.
      organizationId,
      organizationRole: 'admin',
    });
    if (!spent.ok) throw new Error('launch refused');
    const launched = { userId: sub, cookie: `svd_session=${spent.sessionToken}` };
    const body = await (await call(launched, 'GET', '/api/usage')).json();
    expect(body.team).toEqual({ organizationId, role: 'viewer' });
    const vaultId = (await (await call(launched, 'GET', '/api/vaults')).json()).vaults[0].id;
    expect((await uploadText(launched, vaultId, 'nope.txt')).status).toBe(403);
  });
});

describe('the team’s activity', () => {
  it('records who uploaded, downloaded, renamed, moved and deleted what, and from which address', async () => {
    const organizationId = await createOrganization('Audited', 'business_starter');
    const owner = await launchedUser({ organizationId, role: 'owner' });
    const member = await launchedUser({ organizationId, role: 'member' });
    const vaultId = (await (await call(owner, 'GET', '/api/vaults')).json()).vaults[0].id;
    const other = (await (await call(owner, 'POST', '/api/vaults', { json: { name: 'Archive' } })).json())
      .vault.id;
    const id = await uploaded(member, vaultId, 'ledger.txt');
    await (await call(owner, 'GET', `/api/documents/${id}/download`)).arrayBuffer();
    expect(
      (await call(member, 'PATCH', `/api/documents/${id}`, { json: { name: 'ledger-2026.txt' } })).status,
    ).toBe(200);
    expect((await call(member, 'PATCH', `/api/documents/${id}`, { json: { vaultId: other } })).status).toBe(
      200,
    );
    expect((await call(owner, 'DELETE', `/api/documents/${id}`)).status).toBe(204);
    // A refused request leaves no entry.
    expect((await call(member, 'DELETE', `/api/vaults/${other}`)).status).toBe(403);
    const { rows } = await svd.pool.query(
      `SELECT "userId", action, subject, "documentId" FROM securevault."TeamActivity"
       WHERE "organizationId" = $1 ORDER BY "createdAt", action`,
      [organizationId],
    );
    expect(rows).toEqual([
      { userId: owner.userId, action: 'create_vault', subject: 'Archive', documentId: null },
      { userId: member.userId, action: 'upload', subject: 'ledger.txt', documentId: id },
      { userId: owner.userId, action: 'download', subject: 'ledger.txt', documentId: id },
      { userId: member.userId, action: 'rename', subject: 'ledger-2026.txt', documentId: id },
      { userId: member.userId, action: 'move', subject: 'ledger-2026.txt', documentId: id },
      { userId: owner.userId, action: 'delete', subject: 'ledger-2026.txt', documentId: id },
    ]);
    // Owners and admins read it filtered, and as CSV with the same filters.
    const renames = await (
      await call(owner, 'GET', `/api/team/activity?action=rename&userId=${member.userId}`)
    ).json();
    expect(renames.entries.map((e: { subject: string }) => e.subject)).toEqual(['ledger-2026.txt']);
    const today = new Date().toISOString().slice(0, 10);
    const csv = await call(owner, 'GET', `/api/team/activity?format=csv&from=${today}&to=${today}&q=ledger`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe(
      'Time (UTC),Member,Member id,Action,Document or vault,Document id,Vault id,Address,Details',
    );
    // The details column says what the subject alone does not: the rename's former name, where a deletion went.
    expect(lines.find((line) => line.split(',')[3] === 'rename')).toMatch(/,from: ledger\.txt$/);
    expect(lines.find((line) => line.split(',')[3] === 'delete')).toMatch(/,to: trash$/);
    expect(lines.slice(1).map((line) => line.split(',')[3])).toEqual([
      'delete',
      'move',
      'rename',
      'download',
      'upload',
    ]);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const none = await (await call(owner, 'GET', `/api/team/activity?to=${yesterday}`)).json();
    expect(none.entries).toEqual([]);
    expect((await call(owner, 'GET', '/api/team/activity?from=2026-02-30')).status).toBe(400);
    // Personal spaces keep no such log.
    const before = await svd.pool.query(`SELECT count(*)::int AS n FROM securevault."TeamActivity"`);
    await uploaded(
      people.personal,
      (await (await call(people.personal, 'GET', '/api/vaults')).json()).vaults[0].id,
      'p.txt',
    );
    const after = await svd.pool.query(`SELECT count(*)::int AS n FROM securevault."TeamActivity"`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});

describe('pooled processing units', () => {
  it('charges a team document’s units to the team, not to the member who uploaded it', async () => {
    const organizationId = await createOrganization('Indexers', 'business_starter');
    const member = await launchedUser({ organizationId, role: 'member' });
    const vaultId = (await (await call(member, 'GET', '/api/vaults')).json()).vaults[0].id;
    const id = await uploaded(member, vaultId, 'notes.txt');
    const indexed = await indexDocument(svd.db, { documentId: id, lastAttempt: true, log: logger });
    expect(indexed?.indexStatus).toBe('indexed');
    // The team's row (organizationId), none under the member's own id.
    expect(await unitRows(organizationId, member.userId)).toEqual([
      { userId: null, organizationId, unitsUsed: indexed?.processingUnits },
    ]);
    const body = await (await call(member, 'GET', '/api/usage')).json();
    expect(body.unitsUsed).toBe(indexed?.processingUnits);
    expect(body.unitsUsed).toBeGreaterThan(0);
  });

  it('keeps a member’s personal units apart from the team’s pool, both ways', async () => {
    const organizationId = await createOrganization('Splitters', 'business_starter');
    const teamSide = await launchedUser({ organizationId, role: 'member' });
    // The same person launched into their personal space (a second SVD session, no organization). The team's
    // document is 150 KB (2 units), the personal one 2 KB (1 unit), so the two sums cannot be confused.
    const personalSide = await relaunchPersonal(teamSide);
    const teamVaultId = (await (await call(teamSide, 'GET', '/api/vaults')).json()).vaults[0].id;
    const ownVaultId = (await (await call(personalSide, 'GET', '/api/vaults')).json()).vaults[0].id;
    const teamDoc = await indexDocument(svd.db, {
      documentId: await uploaded(teamSide, teamVaultId, 'team.txt', 'x'.repeat(150_000)),
      lastAttempt: true,
      log: logger,
    });
    const ownDoc = await indexDocument(svd.db, {
      documentId: await uploaded(personalSide, ownVaultId, 'own.txt', 'y'.repeat(2000)),
      lastAttempt: true,
      log: logger,
    });
    expect([teamDoc?.indexStatus, ownDoc?.indexStatus]).toEqual(['indexed', 'indexed']);
    expect(teamDoc?.processingUnits).not.toBe(ownDoc?.processingUnits);
    const rows = await unitRows(organizationId, teamSide.userId);
    expect(rows).toEqual(
      expect.arrayContaining([
        { userId: null, organizationId, unitsUsed: teamDoc?.processingUnits },
        { userId: teamSide.userId, organizationId: null, unitsUsed: ownDoc?.processingUnits },
      ]),
    );
    expect(rows).toHaveLength(2);
    expect((await (await call(teamSide, 'GET', '/api/usage')).json()).unitsUsed).toBe(
      teamDoc?.processingUnits,
    );
    expect((await (await call(personalSide, 'GET', '/api/usage')).json()).unitsUsed).toBe(
      ownDoc?.processingUnits,
    );
    // Exactly one owner per row, enforced by the table.
    await expect(
      svd.pool.query(
        `INSERT INTO securevault."ProcessingUsage" ("userId", "organizationId", "periodStart") VALUES ($1, $2, now())`,
        [teamSide.userId, organizationId],
      ),
    ).rejects.toMatchObject({ code: '23514' });
    await expect(
      svd.pool.query(`INSERT INTO securevault."ProcessingUsage" ("periodStart") VALUES (now())`),
    ).rejects.toMatchObject({ code: '23514' });
  });

  it('never goes over the pool when members race for its last unit', async () => {
    const organizationId = await createOrganization('Unitrace', 'business_starter');
    const members = await Promise.all(
      (['owner', 'member', 'member'] as const).map((role) => launchedUser({ organizationId, role })),
    );
    const vaultId = (await (await call(members[0] as TPerson, 'GET', '/api/vaults')).json()).vaults[0].id;
    const ids = await Promise.all(members.map((who, i) => uploaded(who, vaultId, `last-${i}.txt`)));
    // The pool has exactly one unit left for the period these documents are charged in.
    const { periodStart, entitlement } = await getVaultStatus(svd.db, {
      userId: (members[0] as TPerson).userId,
      organizationId,
      role: 'owner',
    });
    const limit = entitlement.limits.processingUnitsPerMonth;
    await svd.pool.query(
      `INSERT INTO securevault."ProcessingUsage" ("organizationId", "periodStart", "unitsUsed") VALUES ($1, $2, $3)`,
      [organizationId, periodStart, limit - 1],
    );
    const results = await Promise.all(
      ids.map((documentId) => indexDocument(svd.db, { documentId, lastAttempt: true, log: logger })),
    );
    expect(results.map((r) => r?.processingUnits)).toEqual(expect.arrayContaining([1, 0, 0]));
    expect(results.map((r) => r?.indexStatus).sort()).toEqual(['indexed', 'not_indexed', 'not_indexed']);
    expect(await unitRows(organizationId, ...members.map((m) => m.userId))).toEqual([
      { userId: null, organizationId, unitsUsed: limit },
    ]);
  });
});

/** The ProcessingUsage rows of a team and of the given people's personal spaces. */
async function unitRows(organizationId: string, ...userIds: string[]) {
  const { rows } = await svd.pool.query(
    `SELECT "userId", "organizationId", "unitsUsed" FROM securevault."ProcessingUsage"
     WHERE "organizationId" = $1 OR "userId" = ANY($2)`,
    [organizationId, userIds],
  );
  return rows;
}

/** A second SVD session for the same Hub user, in their personal space. */
async function relaunchPersonal(who: TPerson): Promise<TPerson> {
  const sid = await seedHubSession(hub.db, who.userId);
  const session = await createSvdSession(svd.db, {
    userId: who.userId,
    hubSessionId: sid,
    hubSessionExpiresAt: new Date(Date.now() + 3_600_000),
    organizationId: null,
  });
  return { userId: who.userId, cookie: `svd_session=${session.token}` };
}

describe('least privilege for the team space', () => {
  it('lets SVD read who belongs to which organization with which role, and nothing else of them', async () => {
    await expect(
      svd.pool.query('SELECT "organizationId", "userId", role FROM core."Membership" LIMIT 1'),
    ).resolves.toBeDefined();
    await expect(svd.pool.query('SELECT id, name FROM core."Organization" LIMIT 1')).resolves.toBeDefined();
    for (const query of [
      'SELECT * FROM core."Membership" LIMIT 1',
      'SELECT "billingEmail" FROM core."Organization" LIMIT 1',
      'SELECT * FROM core."Invitation" LIMIT 1',
      `UPDATE core."Membership" SET role = 'owner' WHERE false`,
      'DELETE FROM core."Membership" WHERE false',
    ]) {
      await expect(svd.pool.query(query), query).rejects.toMatchObject({ code: '42501' });
    }
  });
});
