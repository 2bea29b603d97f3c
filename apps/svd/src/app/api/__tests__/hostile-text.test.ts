import { CONTROL_CHARACTERS_MESSAGE, INVISIBLE_CHARACTERS_MESSAGE } from '@omg/platform';
import { afterAll, describe, expect, it } from 'vitest';
import { PATCH as patchDocument } from '../documents/[id]/route';
import { GET as listDocuments } from '../documents/route';
import { POST as upload } from '../uploads/route';
import { PATCH as patchVault } from '../vaults/[id]/route';
import { POST as createVault, GET as listVaults } from '../vaults/route';
import { admin, hub, launchedUser, SVD, svd, type TVaultUser } from './vault-fixtures';

const none = { params: Promise.resolve({}) };
const withId = (id: string) => ({ params: Promise.resolve({ id }) });

afterAll(async () => {
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

function request(user: TVaultUser, path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('cookie', user.cookie);
  headers.set('origin', SVD);
  if (typeof init.body === 'string' && !headers.has('content-type'))
    headers.set('content-type', 'application/json');
  return new Request(`${SVD}${path}`, { ...init, headers, duplex: 'half' } as RequestInit);
}

const json = (method: string, body: unknown): RequestInit => ({ method, body: JSON.stringify(body) });

async function newVault(user: TVaultUser, name: string): Promise<Response> {
  return createVault(request(user, '/api/vaults', json('POST', { name })), none);
}

async function uploadNamed(user: TVaultUser, vaultId: string, name: string): Promise<Response> {
  const bytes = new TextEncoder().encode('contents\n');
  return upload(
    request(user, `/api/uploads?vaultId=${vaultId}&name=${encodeURIComponent(name)}`, {
      method: 'POST',
      body: bytes,
      headers: { 'content-type': 'text/plain', 'content-length': String(bytes.byteLength) },
    }),
    none,
  );
}

/** Control characters: C0 (NUL included), DEL, C1, a lone surrogate. */
const CONTROL: [string, string][] = [
  ['NUL', 'Tax\u0000returns'],
  ['tab', 'Tax\treturns'],
  ['newline', 'Tax\nreturns'],
  ['carriage return', 'Tax\rreturns'],
  ['escape', 'Tax\u001b[31mreturns'],
  ['DEL', 'Tax\u007freturns'],
  ['C1 (NEL)', 'Tax\u0085returns'],
  ['lone surrogate', 'Tax\ud800returns'],
];

/** Invisible format characters that make a name show something else than it is. */
const INVISIBLE: [string, string][] = [
  ['right-to-left override', 'invoice\u202efdp.exe'],
  ['left-to-right override', 'invoice\u202dfdp.exe'],
  ['right-to-left embedding', 'invoice\u202bfdp.exe'],
  ['pop directional formatting', 'invoice\u202c.pdf'],
  ['right-to-left isolate', 'invoice\u2067fdp.exe'],
  ['first-strong isolate', 'invoice\u2068fdp.exe\u2069'],
  ['left-to-right mark', 'invoice\u200e.pdf'],
  ['right-to-left mark', 'invoice\u200f.pdf'],
  ['Arabic letter mark', 'invoice\u061c.pdf'],
  ['zero-width space', 'invoice.pdf\u200b.exe'],
  ['zero-width non-joiner', 'invoice\u200c.pdf'],
  ['zero-width joiner', 'invoice\u200d.pdf'],
  ['word joiner', 'invoice\u2060.pdf'],
  ['byte-order mark', '\ufeffinvoice.pdf'],
  ['soft hyphen', 'invoice\u00ad.pdf'],
  ['Hangul filler', 'invoice\u3164.pdf'],
  ['combining grapheme joiner', 'invoice\u034f.pdf'],
];

describe('typed vault and document names', () => {
  it.each([...CONTROL, ...INVISIBLE])(
    '%s: refused with 400 and a message, everywhere a name is typed',
    async (label, name) => {
      const user = await launchedUser();
      const expected = CONTROL.some(([l]) => l === label)
        ? CONTROL_CHARACTERS_MESSAGE
        : INVISIBLE_CHARACTERS_MESSAGE;

      const created = await newVault(user, name);
      expect(created.status).toBe(400);
      expect((await created.json()).error.message).toContain(expected);

      const vault = (await (await newVault(user, `Vault ${label}`)).json()).vault;
      const renamed = await patchVault(
        request(user, `/api/vaults/${vault.id}`, json('PATCH', { name })),
        withId(vault.id),
      );
      expect(renamed.status).toBe(400);
      expect((await renamed.json()).error.message).toContain(expected);

      const { document } = await (await uploadNamed(user, vault.id, 'plain.txt')).json();
      const renamedDocument = await patchDocument(
        request(user, `/api/documents/${document.id}`, json('PATCH', { name })),
        withId(document.id),
      );
      expect(renamedDocument.status).toBe(400);
      expect((await renamedDocument.json()).error.message).toContain(expected);
    },
  );

  it('renaming a vault to a name already taken is a 409 that says so (a real unique violation)', async () => {
    const user = await launchedUser();
    const taxes = (await (await newVault(user, 'Taxes')).json()).vault;
    const other = (await (await newVault(user, 'Other')).json()).vault;
    const renamed = await patchVault(
      request(user, `/api/vaults/${other.id}`, json('PATCH', { name: ' Taxes ' })),
      withId(other.id),
    );
    expect(renamed.status).toBe(409);
    expect(await renamed.json()).toEqual({
      error: { code: 'CONFLICT', message: 'A vault with that name already exists.' },
    });
    const again = await newVault(user, 'Taxes');
    expect(again.status).toBe(409);
    expect((await again.json()).error.message).toBe('A vault with that name already exists.');
    // Both vaults keep their names.
    const vaults = (await (await listVaults(request(user, '/api/vaults'), none)).json()).vaults;
    expect(vaults.map((v: { id: string; name: string }) => [v.id, v.name])).toEqual(
      expect.arrayContaining([
        [taxes.id, 'Taxes'],
        [other.id, 'Other'],
      ]),
    );
  });
});

describe('uploaded file names', () => {
  it.each([
    ['right-to-left override', 'invoice\u202efdp.exe', 'invoicefdp.exe'],
    ['isolates', '\u2067invoice\u2069.pdf', 'invoice.pdf'],
    ['zero-width space hiding a second extension', 'report.pdf\u200b.exe', 'report.pdf.exe'],
    ['byte-order mark and marks', '\ufeffa\u200e\u200f\u061cb.txt', 'ab.txt'],
    ['NUL', 'a\u0000b.txt', 'ab.txt'],
    ['tab and newline', 'a\tb\n.txt', 'ab.txt'],
    ['a path', 'C:\\Users\\me\\lease.txt', 'lease.txt'],
    ['ordinary Unicode kept', 'Grüße — 報告.txt', 'Grüße — 報告.txt'],
  ])('%s: stored as what it shows (%j → %j)', async (_label, name, stored) => {
    const user = await launchedUser();
    const vaultId = (await (await listVaults(request(user, '/api/vaults'), none)).json()).vaults[0].id;
    const response = await uploadNamed(user, vaultId, name);
    expect(response.status).toBe(201);
    expect((await response.json()).document.name).toBe(stored);
  });

  it('a name of nothing but invisible characters is refused with 400', async () => {
    const user = await launchedUser();
    const vaultId = (await (await listVaults(request(user, '/api/vaults'), none)).json()).vaults[0].id;
    const response = await uploadNamed(user, vaultId, '\u202e\u200b\u0000');
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toBe('A document needs a name.');
  });
});

describe('document search', () => {
  // A lone surrogate cannot travel in a URL (it has no UTF-8 form): the rest can.
  it.each(CONTROL.filter(([label]) => label !== 'lone surrogate'))(
    '%s in q is a 400 with a message, not a database error',
    async (_label, q) => {
      const user = await launchedUser();
      const response = await listDocuments(request(user, `/api/documents?q=${encodeURIComponent(q)}`), none);
      expect(response.status).toBe(400);
      expect((await response.json()).error.message).toContain(CONTROL_CHARACTERS_MESSAGE);
    },
  );

  it('a search with ordinary and invisible characters answers 200', async () => {
    const user = await launchedUser();
    for (const q of ['Grüße', 'invoice\u202efdp', '%_\\', "'; DROP TABLE x; --"]) {
      const response = await listDocuments(request(user, `/api/documents?q=${encodeURIComponent(q)}`), none);
      expect(response.status).toBe(200);
    }
  });
});
