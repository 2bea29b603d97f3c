import { HOSTILE_QUERY_VALUES, LEAK_PATTERN } from '@omg/platform/testing/hostile-bodies';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as login } from '../../login/route';
import { GET as loginStart } from '../../login/start/route';
import { GET as listDocuments } from '../documents/route';
import { GET as listFolder } from '../folders/route';
import { POST as upload } from '../uploads/route';
import { GET as listVaults } from '../vaults/route';
import { admin, hub, launchedUser, SVD, svd } from './vault-fixtures';

const none = { params: Promise.resolve({}) };
let cookie: string;
let vaultId: string;

beforeAll(async () => {
  ({ cookie } = await launchedUser());
  vaultId = (await (await listVaults(new Request(`${SVD}/api/vaults`, { headers: { cookie } }), none)).json())
    .vaults[0].id;
});

afterAll(async () => {
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

async function expectNoInternalError(response: Response, what: string) {
  const text = await response.text();
  expect(response.status, `${what} ${text.slice(0, 200)}`).toBeLessThan(500);
  expect(text).not.toMatch(LEAK_PATTERN);
}

describe('hostile query strings on SVD’s routes', () => {
  it.each(HOSTILE_QUERY_VALUES)('%s: below 500 everywhere, without a stack trace', async (_label, v) => {
    const get = (path: string) => new Request(`${SVD}${path}`, { headers: { cookie } });
    for (const path of [
      `/api/documents?q=${v}`,
      `/api/documents?vaultId=${v}&sort=${v}&order=${v}`,
      `/api/documents?q=ok&q=${v}`,
    ]) {
      await expectNoInternalError(await listDocuments(get(path), none), path);
    }
    for (const path of [
      `/api/folders?vaultId=${v}`,
      `/api/folders?vaultId=${vaultId}&folderId=${v}&sort=${v}&order=${v}`,
    ]) {
      await expectNoInternalError(await listFolder(get(path), none), path);
    }
    await expectNoInternalError(await loginStart(get(`/login/start?returnTo=${v}`), none), 'login/start');
    await expectNoInternalError(await login(get(`/login?token=${v}&returnTo=${v}`), none), 'login');
    const bytes = new TextEncoder().encode('x');
    for (const query of [
      `vaultId=${vaultId}&name=${v}`,
      `vaultId=${v}&name=a.txt`,
      `vaultId=${vaultId}&name=a&size=${v}`,
    ]) {
      const response = await upload(
        new Request(`${SVD}/api/uploads?${query}`, {
          method: 'POST',
          headers: { cookie, origin: SVD, 'content-type': 'text/plain', 'content-length': '1' },
          body: bytes,
        }),
        none,
      );
      await expectNoInternalError(response, `upload ${query.slice(0, 80)}`);
    }
  });

  it('NUL in the search term is a 400 with a message', async () => {
    const response = await listDocuments(
      new Request(`${SVD}/api/documents?q=a%00b`, { headers: { cookie } }),
      none,
    );
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/Control characters/);
  });
});
