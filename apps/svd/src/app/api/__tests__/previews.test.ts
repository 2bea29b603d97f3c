import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { schema } from '@omg/db';
import { eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discardBlob } from '@/lib/documents/discard-blob';
import { buildMinimalPdf } from '@/lib/documents/fixtures/minimal-pdf';
import { startIndexWorker, type TIndexWorker } from '@/lib/documents/index-worker';
import { logger } from '@/lib/logger';
import { PREVIEW_CSP } from '@/lib/previews/preview-headers';
import { openDecrypted } from '@/lib/storage';
import { THUMBNAIL_QUEUE } from '@/lib/thumbnails/thumbnail-queue';
import { thumbnailStorageKey } from '@/lib/thumbnails/thumbnail-storage-key';
import { vaultStorage } from '@/lib/vault-storage';
import { createTestIndexQueue } from '@/testing/index-queue';
import { serveRoutes, type TRouteServer, type TRouteTable } from '@/testing/route-server';
import { GET as preview } from '../documents/[id]/preview/route';
import { GET as thumbnail } from '../documents/[id]/thumbnail/route';
import { POST as upload } from '../uploads/route';
import { GET as listVaults } from '../vaults/route';
import {
  admin,
  createOrganization,
  findBlobFile,
  hub,
  launchedUser,
  provision,
  SVD,
  svd,
} from './vault-fixtures';

/**
 * Previews and thumbnails (issue 16 §2) over real HTTP: only PDF, PNG, JPEG, GIF, WebP and plain text whose bytes
 * agree with their stored type are served inline, sandboxed; everything else — markup above all, however named
 * or labelled — is a 415. Thumbnails are made by the queue's worker and stored encrypted.
 */

interface TPerson {
  userId: string;
  cookie: string;
}

type THandler = NonNullable<ReturnType<TRouteTable>>['handler'];

let server: TRouteServer;
let worker: TIndexWorker | undefined;
const origin = new URL(SVD).origin;

beforeAll(async () => {
  server = await serveRoutes((method, pathname) => {
    const route = (handler: unknown, params: Record<string, unknown> = {}) =>
      handler ? { handler: handler as THandler, params } : null;
    if (pathname === '/api/vaults') return route({ GET: listVaults }[method]);
    if (pathname === '/api/uploads') return route({ POST: upload }[method]);
    const [, id, what] = /^\/api\/documents\/([^/]+)\/(preview|thumbnail)$/.exec(pathname) ?? [];
    if (what === 'preview') return route({ GET: preview, HEAD: preview }[method], { id });
    if (what === 'thumbnail') return route({ GET: thumbnail }[method], { id });
    return null;
  }, SVD);
  // Thumbnail jobs other test files queued (for documents stored elsewhere) would only delay this file's.
  await admin.pool.query('DELETE FROM svd_queue.job WHERE name = $1', [THUMBNAIL_QUEUE]);
  worker = await startIndexWorker({
    databaseUrl: process.env.SVD_DATABASE_URL ?? '',
    // Text extraction is not what this file tests: an indexing queue nobody sends to.
    queue: await createTestIndexQueue('previews'),
    pollingIntervalSeconds: 0.5,
    log: logger,
  });
});

afterAll(async () => {
  await worker?.stop();
  await server?.close();
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

function call(who: TPerson, method: string, path: string, init: { body?: Uint8Array; type?: string } = {}) {
  const headers: Record<string, string> = { cookie: who.cookie, origin };
  if (init.type) headers['content-type'] = init.type;
  return fetch(new URL(path, server.url), { method, headers, body: init.body && new Uint8Array(init.body) });
}

async function vaultOf(who: TPerson): Promise<string> {
  const body = await (await call(who, 'GET', '/api/vaults')).json();
  return body.vaults[0].id;
}

async function uploaded(who: TPerson, name: string, type: string, bytes: Uint8Array | string) {
  const body = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  const vaultId = await vaultOf(who);
  const response = await call(
    who,
    'POST',
    `/api/uploads?vaultId=${vaultId}&name=${encodeURIComponent(name)}`,
    {
      body,
      type,
    },
  );
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()).document.id as string;
}

const image = (format: 'png' | 'jpeg' | 'gif' | 'webp', width = 320, height = 200) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } })
    .toFormat(format)
    .toBuffer();

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"><script>alert(1)</script></svg>';
const HTML = '<!doctype html><html><body><script>fetch("/api/vaults")</script></body></html>';

async function thumbnailOf(documentId: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await svd.db
      .select()
      .from(schema.thumbnail)
      .where(eq(schema.thumbnail.documentId, documentId));
    if (row) return row;
    if (Date.now() > deadline) throw new Error(`no thumbnail recorded for ${documentId}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let owner: TPerson;
let stranger: TPerson;

beforeAll(async () => {
  [owner, stranger] = await Promise.all([launchedUser(), launchedUser()]);
});

// Thumbnails first: their jobs are then the first in the queue, ahead of those the preview tests' uploads add.
describe('thumbnails', () => {
  it('are made by the queue for images and first PDF pages, stored encrypted, served as image/webp', async () => {
    const photo = await uploaded(owner, 'wide.png', 'image/png', await image('png', 1024, 512));
    const report = await uploaded(
      owner,
      'first-page.pdf',
      'application/pdf',
      buildMinimalPdf([['Page one']]),
    );
    const text = await uploaded(owner, 'plain.txt', 'text/plain', 'no picture');
    for (const [id, size] of [
      [photo, { width: 256, height: 128 }],
      [report, { width: 197, height: 256 }],
    ] as const) {
      const row = await thumbnailOf(id);
      expect(row).toMatchObject({ status: 'ready', note: null, ...size });
      // The stored bytes are ciphertext: not a WebP (nor a PNG), and decrypting them gives the WebP.
      const file = await findBlobFile(row.storageKey ?? '');
      expect(file).not.toBeNull();
      const stored = await readFile(file ?? '');
      expect(stored.subarray(8, 12).toString('latin1')).not.toBe('WEBP');
      expect(stored.subarray(1, 4).toString('latin1')).not.toBe('PNG');
      const { store, masterKey } = vaultStorage();
      const chunks: Buffer[] = [];
      const object = { storageKey: row.storageKey ?? '', wrappedKey: row.wrappedKey ?? '' };
      for await (const chunk of await openDecrypted(store, masterKey, object)) chunks.push(chunk);
      expect((await sharp(Buffer.concat(chunks)).metadata()).format).toBe('webp');

      const response = await call(owner, 'GET', `/api/documents/${id}/thumbnail`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/webp');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('cache-control')).toBe('private, no-store');
      const served = Buffer.from(await response.arrayBuffer());
      expect(served.equals(Buffer.concat(chunks))).toBe(true);
    }
    // Not an image: no job, no thumbnail.
    expect((await call(owner, 'GET', `/api/documents/${text}/thumbnail`)).status).toBe(404);
    const none = await svd.db.select().from(schema.thumbnail).where(eq(schema.thumbnail.documentId, text));
    expect(none).toEqual([]);
  }, 120_000);

  it('record a failure for a corrupt image or PDF, or an SVG called a PNG, and the worker keeps going', async () => {
    const broken = await uploaded(
      owner,
      'broken.png',
      'image/png',
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(300, 7)]),
    );
    const pdf = await uploaded(
      owner,
      'broken.pdf',
      'application/pdf',
      '%PDF-1.7\nthis is no PDF at all\n%%EOF',
    );
    const svg = await uploaded(owner, 'vector.png', 'image/png', SVG);
    for (const id of [broken, pdf, svg]) {
      const row = await thumbnailOf(id);
      expect(row, id).toMatchObject({ status: 'failed', storageKey: null, wrappedKey: null });
      expect(row.note, id).toBeTruthy();
      expect((await call(owner, 'GET', `/api/documents/${id}/thumbnail`)).status).toBe(404);
    }
    expect((await thumbnailOf(svg)).note).toBe('the file is not what its type says');
    // The same worker still makes the next one.
    const after = await uploaded(owner, 'after.jpg', 'image/jpeg', await image('jpeg'));
    expect((await thumbnailOf(after)).status).toBe('ready');
  }, 120_000);

  it('go with their document: discarding a deleted document’s blob discards its thumbnail’s too', async () => {
    const id = await uploaded(owner, 'gone.gif', 'image/gif', await image('gif'));
    const row = await thumbnailOf(id);
    expect(row.status).toBe('ready');
    const [document] = await svd.db
      .delete(schema.document)
      .where(eq(schema.document.id, id))
      .returning({ storageKey: schema.document.storageKey });
    const documentKey = document?.storageKey ?? '';
    expect(row.storageKey).toBe(thumbnailStorageKey(documentKey));
    // The row went with the document (cascade); the blobs go through the deletion's discardBlob.
    expect(await svd.db.select().from(schema.thumbnail).where(eq(schema.thumbnail.documentId, id))).toEqual(
      [],
    );
    expect(await findBlobFile(row.storageKey ?? '')).not.toBeNull();
    await discardBlob(svd.db, vaultStorage().store, documentKey, { reason: 'document_deleted', log: logger });
    expect(await findBlobFile(documentKey)).toBeNull();
    expect(await findBlobFile(row.storageKey ?? '')).toBeNull();
  }, 120_000);
});

describe('GET /api/documents/[id]/preview', () => {
  it('serves each safe type inline, as its sniffed type, sandboxed, nosniff and never cached', async () => {
    const pdf = buildMinimalPdf([['Quarterly report']]);
    const cases = [
      { name: 'report.pdf', type: 'application/pdf', bytes: pdf, served: 'application/pdf' },
      { name: 'photo.png', type: 'image/png', bytes: await image('png'), served: 'image/png' },
      { name: 'photo.jpg', type: 'image/jpeg', bytes: await image('jpeg'), served: 'image/jpeg' },
      { name: 'anim.gif', type: 'image/gif', bytes: await image('gif'), served: 'image/gif' },
      { name: 'pic.webp', type: 'image/webp', bytes: await image('webp'), served: 'image/webp' },
      {
        name: 'notes "2026".txt',
        type: 'text/plain',
        bytes: new TextEncoder().encode('Grüße — plain notes\n<b>not markup at the start</b>\n'),
        served: 'text/plain; charset=utf-8',
      },
    ];
    for (const sample of cases) {
      const id = await uploaded(owner, sample.name, sample.type, sample.bytes);
      const response = await call(owner, 'GET', `/api/documents/${id}/preview`);
      expect(response.status, sample.name).toBe(200);
      expect(response.headers.get('content-type'), sample.name).toBe(sample.served);
      expect(response.headers.get('content-disposition'), sample.name).toMatch(
        /^inline; filename="[^"]*"; filename\*=UTF-8''/,
      );
      expect(response.headers.get('content-security-policy'), sample.name).toBe(PREVIEW_CSP);
      expect(PREVIEW_CSP).toMatch(/^sandbox; default-src 'none'/);
      expect(response.headers.get('x-content-type-options'), sample.name).toBe('nosniff');
      expect(response.headers.get('cache-control'), sample.name).toBe('private, no-store');
      expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(sample.bytes)), sample.name).toBe(
        true,
      );
    }
    // The quote in the name cannot break out of the header.
    const [quoted] = await svd.db
      .select({ id: schema.document.id })
      .from(schema.document)
      .where(
        sql`${schema.document.userId} = ${owner.userId} AND ${schema.document.name} = 'notes "2026".txt'`,
      );
    const head = await call(owner, 'HEAD', `/api/documents/${quoted?.id}/preview`);
    expect(head.status).toBe(200);
    expect(head.headers.get('content-disposition')).toContain('filename="notes _2026_.txt"');
  }, 120_000);

  it('refuses markup and anything whose bytes and stored type disagree: 415, never inline HTML', async () => {
    const png = await image('png');
    const refused: [string, string, Uint8Array | string][] = [
      ['page.html', 'text/html', HTML],
      ['drawing.svg', 'image/svg+xml', SVG],
      ['data.xml', 'application/xml', '<?xml version="1.0"?><a>1</a>'],
      ['script.js', 'text/javascript', 'alert(document.cookie)'],
      ['archive.zip', 'application/zip', 'PK\u0003\u0004 not really'],
      // Lies about the type: HTML called a PDF, an SVG called a PNG, HTML labelled text/plain.
      ['invoice.pdf', 'application/pdf', HTML],
      ['logo.png', 'image/png', SVG],
      ['readme.txt', 'text/plain', HTML],
      ['readme2.txt', 'text/plain', `\ufeff  ${SVG}`],
      // The other way: a real PDF and PNG labelled as HTML or SVG.
      ['real.html', 'text/html', buildMinimalPdf([['x']])],
      ['real.svg', 'image/svg+xml', png],
      // Polyglots: an image signature at the start of markup, with a lying or a matching label.
      ['gifar.gif', 'image/png', Buffer.concat([Buffer.from('GIF89a'), Buffer.from(HTML)])],
      ['jpeg-html.jpg', 'image/png', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from(HTML)])],
      ['nul.txt', 'text/plain', 'text with a NUL\u0000 byte'],
      ['empty.txt', 'text/plain', ''],
      ['empty.pdf', 'application/pdf', ''],
    ];
    for (const [name, type, bytes] of refused) {
      const id = await uploaded(owner, name, type, bytes);
      const response = await call(owner, 'GET', `/api/documents/${id}/preview`);
      expect(response.status, name).toBe(415);
      expect(response.headers.get('content-type'), name).not.toMatch(/html|svg|xml/);
      expect(response.headers.get('content-disposition') ?? '', name).not.toMatch(/^inline/);
      expect((await response.json()).error.message, name).toBe(
        'No preview for this type; download it instead.',
      );
    }
  }, 120_000);

  it('serves a polyglot whose signature and label agree only as that type (never as markup)', async () => {
    const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.from(HTML)]);
    const id = await uploaded(owner, 'polyglot.gif', 'image/gif', gif);
    const response = await call(owner, 'GET', `/api/documents/${id}/preview`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/gif');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe(PREVIEW_CSP);
  }, 120_000);

  it('serves a long text file as its first 256 KiB, cut on a whole character', async () => {
    const text = `${'é'.repeat(140_000)}tail`;
    const id = await uploaded(owner, 'long.txt', 'text/plain', text);
    const response = await call(owner, 'GET', `/api/documents/${id}/preview`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-preview-truncated')).toBe('true');
    const body = await response.text();
    expect(Buffer.byteLength(body)).toBe(256 * 1024);
    expect(body).toBe('é'.repeat(128 * 1024));
  }, 120_000);

  it('is the owner’s only: another user gets 404, as for an unknown id; a trashed document is 404 too', async () => {
    const id = await uploaded(owner, 'private.png', 'image/png', await image('png'));
    const theirs = await call(stranger, 'GET', `/api/documents/${id}/preview`);
    expect(theirs.status).toBe(404);
    expect((await call(owner, 'GET', `/api/documents/${randomUUID()}/preview`)).status).toBe(404);
    expect((await call(stranger, 'GET', `/api/documents/${id}/thumbnail`)).status).toBe(404);

    await svd.db.update(schema.document).set({ trashedAt: new Date() }).where(eq(schema.document.id, id));
    expect((await call(owner, 'GET', `/api/documents/${id}/preview`)).status).toBe(404);
    expect((await call(owner, 'GET', `/api/documents/${id}/thumbnail`)).status).toBe(404);
  }, 120_000);

  it('works in read-only mode (a canceled plan still lets a user look at their documents)', async () => {
    const user = await launchedUser();
    const id = await uploaded(user, 'kept.txt', 'text/plain', 'still mine');
    await provision(user.userId, 'starter', 'canceled');
    const response = await call(user, 'GET', `/api/documents/${id}/preview`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('still mine');
  }, 120_000);

  it('follows the team space: every member may preview, another organization may not', async () => {
    const acme = await createOrganization('Acme');
    const globex = await createOrganization('Globex');
    const teamOwner = await launchedUser({ organizationId: acme, role: 'owner' });
    const viewer = await launchedUser({ organizationId: acme, role: 'viewer' });
    const outsider = await launchedUser({ organizationId: globex, role: 'owner' });
    const id = await uploaded(teamOwner, 'plan.txt', 'text/plain', 'the team plan');
    expect((await call(viewer, 'GET', `/api/documents/${id}/preview`)).status).toBe(200);
    expect((await call(outsider, 'GET', `/api/documents/${id}/preview`)).status).toBe(404);
    const [logged] = await svd.db
      .select()
      .from(schema.teamActivity)
      .where(eq(schema.teamActivity.documentId, id))
      .orderBy(sql`${schema.teamActivity.createdAt} desc`)
      .limit(1);
    expect(logged).toMatchObject({ userId: viewer.userId, action: 'download', details: { view: 'preview' } });
  }, 120_000);
});
