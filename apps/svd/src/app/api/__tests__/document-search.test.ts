import { randomUUID } from 'node:crypto';
import { schema } from '@omg/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as listDocuments } from '../documents/route';
import { GET as listVaults } from '../vaults/route';
import { admin, hub, launchedUser, SVD, svd, type TVaultUser } from './vault-fixtures';

/**
 * Issue 16's search over HTTP (GET /api/documents): prefixes, partial words, names by trigram similarity,
 * hostile input, filters, the ranking, and whose documents it may show. The documents are rows with their
 * extracted text already stored (what the indexing job leaves), so no file is uploaded or indexed here.
 */

const none = { params: Promise.resolve({}) };
const DAY = 86_400_000;

let user: TVaultUser;
let vaultId: string;
let otherVaultId: string;

const get = (who: TVaultUser, query: Record<string, string>) =>
  listDocuments(
    new Request(`${SVD}/api/documents?${new URLSearchParams(query)}`, { headers: { cookie: who.cookie } }),
    none,
  );

async function names(query: Record<string, string>, who = user): Promise<string[]> {
  const response = await get(who, query);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()).documents.map((d: { name: string }) => d.name);
}

async function insertDocument(
  owner: { userId: string; organizationId?: string | null },
  values: { vaultId: string; name: string; text?: string | null; mimeType?: string; createdAt?: Date },
) {
  const id = randomUUID();
  await svd.db.insert(schema.document).values({
    id,
    userId: owner.userId,
    organizationId: owner.organizationId ?? null,
    vaultId: values.vaultId,
    name: values.name,
    mimeType: values.mimeType ?? 'text/plain',
    sizeBytes: 10,
    state: 'ready',
    storageKey: `placeholder-${id}`,
    indexStatus: values.text ? 'indexed' : 'no_text',
    textContent: values.text ?? null,
    createdAt: values.createdAt ?? new Date(),
  });
  return id;
}

beforeAll(async () => {
  user = await launchedUser();
  const vaults = (
    await (
      await listVaults(new Request(`${SVD}/api/vaults`, { headers: { cookie: user.cookie } }), none)
    ).json()
  ).vaults;
  vaultId = vaults[0].id;
  otherVaultId = randomUUID();
  await svd.db.insert(schema.vault).values({ id: otherVaultId, userId: user.userId, name: 'Travel' });
  const at = (day: string) => new Date(`${day}T12:00:00Z`);
  await insertDocument(user, {
    vaultId,
    name: 'field-notes.txt',
    text: 'Sightings of a kangaroo near the billabong, counted twice',
    createdAt: at('2026-11-02'),
  });
  await insertDocument(user, {
    vaultId,
    name: 'kangaroo.jpg',
    mimeType: 'image/jpeg',
    createdAt: at('2026-11-10'),
  });
  await insertDocument(user, {
    vaultId: otherVaultId,
    name: 'itinerary.pdf',
    mimeType: 'application/pdf',
    text: 'Flight to Zürich, then the train to Grüße-Alm; hotel Ünterberg',
    createdAt: at('2026-11-20'),
  });
  await insertDocument(user, {
    vaultId: otherVaultId,
    name: 'backup.zip',
    mimeType: 'application/zip',
    createdAt: at('2026-11-25'),
  });
});

afterAll(async () => {
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

describe('search finds prefixes, partial words and names like the one typed', () => {
  it('a prefix finds the word in names and in contents, the name match first', async () => {
    expect(await names({ q: 'kanga' })).toEqual(['kangaroo.jpg', 'field-notes.txt']);
    expect(await names({ q: 'billa' })).toEqual(['field-notes.txt']);
  });

  it('every word counts as a prefix, all of them required', async () => {
    expect(await names({ q: 'kanga billa' })).toEqual(['field-notes.txt']);
    expect(await names({ q: 'kanga zürich' })).toEqual([]);
  });

  it('part of a name in the middle of a word finds it', async () => {
    expect(await names({ q: 'inerar' })).toEqual(['itinerary.pdf']);
  });

  it('a misspelt name is found by trigram similarity ("kangroo" finds kangaroo.jpg)', async () => {
    expect(await names({ q: 'kangroo' })).toEqual(['kangaroo.jpg']);
    expect(await names({ q: 'itinerray' })).toEqual(['itinerary.pdf']);
  });

  it('finds accented words by their prefix, as typed', async () => {
    expect(await names({ q: 'zür' })).toEqual(['itinerary.pdf']);
    expect(await names({ q: 'grüß' })).toEqual(['itinerary.pdf']);
    expect(await names({ q: 'ÜNTER' })).toEqual(['itinerary.pdf']);
  });

  it('an empty search lists every document of the space', async () => {
    expect((await names({ q: '' })).sort()).toEqual(
      ['backup.zip', 'field-notes.txt', 'itinerary.pdf', 'kangaroo.jpg'].sort(),
    );
  });
});

describe('hostile search input is words or nothing, never tsquery syntax', () => {
  it.each([
    ['operators', '&|!():*\'"\\'],
    ['operators around a word', "kanga:* | !'x' & (billa"],
    ['a tsquery phrase operator', 'kanga <-> billa'],
    ['only punctuation', '.,;:!?-_/'],
    ['a quote in a word', "kanga'roo"],
    ['emoji', '🦘🦘'],
    ['SQL', '\'; DROP TABLE securevault."Document"; --'],
    ['a lone backslash', '\\'],
  ])('%s: 200, no error', async (_label, q) => {
    const response = await get(user, { q });
    expect(response.status, await response.clone().text()).toBe(200);
  });

  it('operators are separators: the words around them still find', async () => {
    expect(await names({ q: "kanga:* | !'x' & (billa" })).toEqual([]);
    expect(await names({ q: 'kanga & (billa' })).toEqual(['field-notes.txt']);
    expect(await names({ q: '!kanga' })).toEqual(['kangaroo.jpg', 'field-notes.txt']);
  });

  it('only punctuation matches no word, and finds nothing here', async () => {
    expect(await names({ q: '&|!():*' })).toEqual([]);
  });

  it('10,000 characters are refused with a message, not a database error', async () => {
    const response = await get(user, { q: 'kanga '.repeat(1700) });
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toBe('Search at most 200 characters.');
  });

  it('200 characters of many words answer', async () => {
    expect(await names({ q: 'ab '.repeat(66) })).toEqual([]);
  });
});

describe('filters', () => {
  it('by type: PDF, images, text, other', async () => {
    expect(await names({ type: 'pdf' })).toEqual(['itinerary.pdf']);
    expect(await names({ type: 'image' })).toEqual(['kangaroo.jpg']);
    expect(await names({ type: 'text' })).toEqual(['field-notes.txt']);
    expect(await names({ type: 'other' })).toEqual(['backup.zip']);
    expect(await names({ q: 'kanga', type: 'image' })).toEqual(['kangaroo.jpg']);
  });

  it('by vault', async () => {
    expect((await names({ vaultId: otherVaultId })).sort()).toEqual(['backup.zip', 'itinerary.pdf']);
    expect(await names({ vaultId: otherVaultId, q: 'kanga' })).toEqual([]);
  });

  it('by upload day, both ends included (UTC)', async () => {
    expect(await names({ from: '2026-11-10', to: '2026-11-20', sort: 'createdAt', order: 'asc' })).toEqual([
      'kangaroo.jpg',
      'itinerary.pdf',
    ]);
    expect(await names({ from: '2026-11-21' })).toEqual(['backup.zip']);
    expect(await names({ to: '2026-11-02' })).toEqual(['field-notes.txt']);
  });

  it('a day that does not exist, or a type that is not one, is a 400 with a message', async () => {
    const bad = await get(user, { from: '2026-02-30' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toContain('That date does not exist.');
    expect((await get(user, { type: 'spreadsheet' })).status).toBe(400);
  });
});

describe('whose documents a search shows', () => {
  it('never another user’s, another organization’s, a trashed one, or a document still uploading', async () => {
    const stranger = await launchedUser();
    const theirVault = (
      await (
        await listVaults(new Request(`${SVD}/api/vaults`, { headers: { cookie: stranger.cookie } }), none)
      ).json()
    ).vaults[0].id;
    await insertDocument(stranger, { vaultId: theirVault, name: 'kangaroo-theirs.txt', text: 'kangaroo' });
    // The same person's upload to a team vault belongs to the team, not to their personal space.
    const organizationId = randomUUID();
    const teamVault = randomUUID();
    await svd.db
      .insert(schema.vault)
      .values({ id: teamVault, userId: user.userId, organizationId, name: 'Team' });
    await insertDocument(
      { userId: user.userId, organizationId },
      { vaultId: teamVault, name: 'kangaroo-team.txt', text: 'kangaroo' },
    );
    await svd.db.insert(schema.document).values({
      id: randomUUID(),
      userId: user.userId,
      vaultId,
      name: 'kangaroo-uploading.txt',
      mimeType: 'text/plain',
      sizeBytes: 1,
      state: 'uploading',
      storageKey: `placeholder-${randomUUID()}`,
    });
    // A trashed document is found on the trash page only.
    const trashed = await insertDocument(user, { vaultId, name: 'kangaroo-trashed.txt', text: 'kangaroo' });
    await svd.db
      .update(schema.document)
      .set({ trashedAt: new Date() })
      .where(eq(schema.document.id, trashed));
    expect(await names({ q: 'kanga' })).toEqual(['kangaroo.jpg', 'field-notes.txt']);
    expect(await names({ q: '' })).not.toContain('kangaroo-trashed.txt');
    expect(await names({ q: 'kangaroo' }, stranger)).toEqual(['kangaroo-theirs.txt']);
  });
});

describe('the ranking puts name matches first', () => {
  it('a name holding the search, then a name like it, then a match in the text only', async () => {
    const ranked = await launchedUser();
    const vault = (
      await (
        await listVaults(new Request(`${SVD}/api/vaults`, { headers: { cookie: ranked.cookie } }), none)
      ).json()
    ).vaults[0].id;
    const old = new Date(Date.now() - 10 * DAY);
    await insertDocument(ranked, { vaultId: vault, name: 'only-text.txt', text: 'harbour harbour harbour' });
    await insertDocument(ranked, { vaultId: vault, name: 'harbor-fees.txt', text: 'fees', createdAt: old });
    await insertDocument(ranked, { vaultId: vault, name: 'the harbour map.pdf', createdAt: old });
    expect(await names({ q: 'harbour' }, ranked)).toEqual([
      'the harbour map.pdf',
      'harbor-fees.txt',
      'only-text.txt',
    ]);
  });
});
