import { afterAll, describe, expect, it } from 'vitest';
import { postJson, signUpHubUser } from '@/testing/billing-test-env';
import { POST } from './route';

afterAll(async () => {
  const { database } = await import('@/lib/db');
  await database().pool.end();
});

async function nameOf(cookie: string) {
  const { auth } = await import('@/lib/auth/auth');
  return (await auth().api.getSession({ headers: new Headers({ cookie }) }))?.user.name;
}

describe('POST /api/account/name', { timeout: 30_000 }, () => {
  it('renames the account, trimmed; the same name twice is the same answer', async () => {
    const account = await signUpHubUser('rename');
    for (let i = 0; i < 2; i++) {
      const response = await postJson(POST, '/api/account/name', { name: '  Ada Lovelace ' }, account.cookie);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ name: 'Ada Lovelace' });
    }
    expect(await nameOf(account.cookie)).toBe('Ada Lovelace');
  });

  it('refuses hostile names with a message and keeps the old one', async () => {
    const account = await signUpHubUser('renamebad');
    const cases: [unknown, RegExp][] = [
      [{ name: '   ' }, /Enter your name/],
      [{ name: 'x'.repeat(101) }, /at most 100/],
      [{ name: 'Eve\r\nBcc: all@example.com' }, /letters, numbers and punctuation/],
      [{ name: 42 }, /./],
      [{}, /./],
      [{ name: ['a'] }, /./],
    ];
    for (const [body, message] of cases) {
      const response = await postJson(POST, '/api/account/name', body, account.cookie);
      expect(response.status).toBe(400);
      expect((await response.json()).error.message).toMatch(message);
    }
    expect(await nameOf(account.cookie)).toBe('Test Customer');
  });

  it('answers 401 when signed out', async () => {
    expect((await postJson(POST, '/api/account/name', { name: 'Mallory' })).status).toBe(401);
  });
});
