import { randomUUID } from 'node:crypto';
import { hostileBodies, LEAK_PATTERN, sendOnce } from '@omg/platform/testing/hostile-bodies';
import { serveOverHttp, type TServedOverHttp } from '@omg/platform/testing/serve-over-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as login } from '../../login/route';
import { POST as logout } from '../../logout/route';
import { DELETE as deleteDocument, PATCH as patchDocument } from '../documents/[id]/route';
import { DELETE as deleteFolder, PATCH as patchFolder } from '../folders/[id]/route';
import { POST as moveItem } from '../folders/move/route';
import { POST as createFolder } from '../folders/route';
import { POST as restore } from '../trash/[kind]/[id]/restore/route';
import { DELETE as deleteForGood } from '../trash/[kind]/[id]/route';
import { DELETE as emptyTrash } from '../trash/route';
import { POST as upload } from '../uploads/route';
import { DELETE as deleteVault, PATCH as patchVault } from '../vaults/[id]/route';
import { POST as createVault, GET as listVaults } from '../vaults/route';
import { admin, hub, launchedUser, SVD, svd } from './vault-fixtures';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';

type TRoute = (request: Request, context: { params: Promise<Record<string, unknown>> }) => Promise<Response>;
interface TRouteCase {
  method: 'POST' | 'PATCH' | 'DELETE';
  path: string;
  route: TRoute;
  params?: Record<string, unknown>;
  valid: Record<string, unknown>;
  /** The page that posts here: the Hub for the hand-off, SVD itself for everything else. */
  origin?: string;
}

let server: TServedOverHttp;
let cookie: string;
let routes: TRouteCase[];

beforeAll(async () => {
  const user = await launchedUser();
  cookie = user.cookie;
  const headers = { cookie, origin: SVD, 'content-type': 'application/json' };
  const vaultId = (
    await (
      await listVaults(new Request(`${SVD}/api/vaults`, { headers: { cookie } }), {
        params: Promise.resolve({}),
      })
    ).json()
  ).vaults[0].id;
  const text = new TextEncoder().encode('walk\n');
  const uploaded = await upload(
    new Request(`${SVD}/api/uploads?vaultId=${vaultId}&name=walk.txt`, {
      method: 'POST',
      headers: {
        cookie,
        origin: SVD,
        'content-type': 'text/plain',
        'content-length': String(text.byteLength),
      },
      body: text,
    }),
    { params: Promise.resolve({}) },
  );
  const documentId = (await uploaded.json()).document.id;
  const spare = await createVault(
    new Request(`${SVD}/api/vaults`, { method: 'POST', headers, body: JSON.stringify({ name: 'Walk' }) }),
    { params: Promise.resolve({}) },
  );
  const spareId = (await spare.json()).vault.id;
  const folder = await createFolder(
    new Request(`${SVD}/api/folders`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ vaultId, name: 'Walk folder' }),
    }),
    { params: Promise.resolve({}) },
  );
  const folderId = (await folder.json()).folder.id;
  routes = [
    { method: 'POST', path: '/api/vaults', route: createVault, valid: { name: 'Walked' } },
    {
      method: 'PATCH',
      path: `/api/vaults/${spareId}`,
      route: patchVault,
      params: { id: spareId },
      valid: { name: 'Walk 2' },
    },
    {
      method: 'PATCH',
      path: `/api/documents/${documentId}`,
      route: patchDocument,
      params: { id: documentId },
      valid: { name: 'walked.txt', vaultId },
    },
    // Routes without a body must not trip over one either (ids that exist nowhere: nothing is deleted).
    { method: 'DELETE', path: '/api/vaults/x', route: deleteVault, params: { id: randomUUID() }, valid: {} },
    {
      method: 'DELETE',
      path: '/api/documents/x',
      route: deleteDocument,
      params: { id: randomUUID() },
      valid: {},
    },
    // Issue 16: folders and the trash.
    { method: 'POST', path: '/api/folders', route: createFolder, valid: { vaultId, name: 'Walked folder' } },
    {
      method: 'PATCH',
      path: `/api/folders/${folderId}`,
      route: patchFolder,
      params: { id: folderId },
      valid: { name: 'Walk folder 2', parentId: null },
    },
    {
      method: 'POST',
      path: '/api/folders/move',
      route: moveItem,
      valid: { documentId, targetFolderId: folderId, vaultId },
    },
    {
      method: 'DELETE',
      path: '/api/folders/x',
      route: deleteFolder,
      params: { id: randomUUID() },
      valid: {},
    },
    {
      method: 'POST',
      path: '/api/trash/documents/x/restore',
      route: restore,
      params: { kind: 'documents', id: randomUUID() },
      valid: {},
    },
    {
      method: 'DELETE',
      path: '/api/trash/folders/x',
      route: deleteForGood,
      params: { kind: 'folders', id: randomUUID() },
      valid: {},
    },
    { method: 'DELETE', path: '/api/trash', route: emptyTrash, valid: {} },
    // The raw upload takes any bytes as the file: none of these may break it either.
    { method: 'POST', path: `/api/uploads?vaultId=${vaultId}&name=hostile.bin`, route: upload, valid: {} },
    { method: 'POST', path: '/login', route: login, valid: { token: 'x', returnTo: '/vault' }, origin: HUB },
    { method: 'POST', path: '/logout', route: logout, valid: {} },
  ];
  server = await serveOverHttp(
    async (request) => {
      const url = new URL(request.url);
      const match = routes.find(
        (r) => r.method === request.method && r.path === `${url.pathname}${url.search}`,
      );
      if (!match) return new Response('no such route in this test', { status: 404 });
      return match.route(request, { params: Promise.resolve(match.params ?? {}) });
    },
    { hops: 0, origin: SVD },
  );
});

afterAll(async () => {
  await server?.close();
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

describe('hostile bodies over HTTP, every SVD route that takes one', () => {
  it('walks a generated table of real size over every route', async () => {
    let walked = 0;
    const failures: string[] = [];
    for (const route of routes) {
      for (const hostile of hostileBodies(route.valid)) {
        const headers: Record<string, string> = { origin: route.origin ?? SVD, cookie };
        if (hostile.contentType) headers['content-type'] = hostile.contentType;
        const response = await sendOnce(`${server.url}${route.path}`, {
          method: route.method,
          headers,
          body: hostile.body,
        });
        const { text } = response;
        walked += 1;
        if (response.status >= 500 || LEAK_PATTERN.test(text))
          failures.push(
            `${route.method} ${route.path} ← ${hostile.label}: ${response.status} ${text.slice(0, 200)}`,
          );
      }
    }
    expect(failures).toEqual([]);
    expect(walked).toBeGreaterThan(300);
  }, 300_000);
});
