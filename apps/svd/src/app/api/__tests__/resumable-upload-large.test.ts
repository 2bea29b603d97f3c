import { createHash, randomBytes } from 'node:crypto';
import { schema } from '@omg/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteBlob } from '@/lib/storage/delete-blob';
import { vaultStorage } from '@/lib/vault-storage';
import { serveRoutes, type TRouteServer } from '@/testing/route-server';
import { tusMetadata, tusRequest } from '@/testing/tus-client';
import { GET as download } from '../documents/[id]/download/route';
import { DELETE, HEAD, OPTIONS, PATCH, POST } from '../uploads/tus/[[...id]]/route';
import { GET as listVaults } from '../vaults/route';
import { admin, hub, launchedUser, provision, SVD, svd } from './vault-fixtures';

/**
 * A multi-GB file through the tus endpoint, never held in memory: streamed from a generator, the connection cut
 * part-way, resumed with HEAD + PATCH from the offset the server gives, and downloaded through the normal
 * download route to the same SHA-256. SVD_TUS_LARGE_BYTES sets the size (default 2 GiB + a bit, so the last
 * segment is short); the resident-memory growth is printed and bounded.
 */
const TOTAL = Number(process.env.SVD_TUS_LARGE_BYTES ?? 2 * 1024 ** 3 + 12_345);
const BLOCK = 1024 * 1024;
const TUS = '/api/uploads/tus';
const base = randomBytes(BLOCK);

/** The file's bytes from `from` to TOTAL: every 1 MiB block is `base` stamped with its number, made on demand. */
async function* content(from: number): AsyncGenerator<Buffer> {
  for (let block = Math.floor(from / BLOCK); block * BLOCK < TOTAL; block++) {
    const bytes = Buffer.from(base);
    bytes.writeUInt32BE(block, 0);
    const start = Math.max(from - block * BLOCK, 0);
    yield bytes.subarray(start, Math.min(BLOCK, TOTAL - block * BLOCK));
  }
}

let server: TRouteServer;
beforeAll(async () => {
  server = await serveRoutes((method, pathname) => {
    if (pathname === TUS || pathname.startsWith(`${TUS}/`)) {
      const handler = ({ POST, HEAD, PATCH, DELETE, OPTIONS } as Record<string, typeof POST | undefined>)[
        method
      ];
      return handler ? { handler, params: {} } : null;
    }
    const id = /^\/api\/documents\/([^/]+)\/download$/.exec(pathname)?.[1];
    return id && method === 'GET' ? { handler: download, params: { id } } : null;
  }, SVD);
});

afterAll(async () => {
  await server?.close();
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

describe('a multi-GB resumable upload', () => {
  it(
    'streams in, survives a cut, resumes at the server’s offset and decrypts to the same SHA-256 with bounded memory',
    async () => {
      const phases: string[] = [];
      let phaseStart = performance.now();
      const phase = (name: string) => {
        phases.push(`${name} ${((performance.now() - phaseStart) / 1000).toFixed(1)} s`);
        phaseStart = performance.now();
      };
      const expected = createHash('sha256');
      for await (const chunk of content(0)) expected.update(chunk);
      const expectedHash = expected.digest('hex');
      phase('hash of the source');

      const user = await launchedUser();
      await provision(user.userId, 'business_pro');
      const vaults = await listVaults(
        new Request(`${SVD}/api/vaults`, { headers: { cookie: user.cookie } }),
        {
          params: Promise.resolve({}),
        },
      );
      const vaultId = (await vaults.json()).vaults[0].id;
      const origin = new URL(SVD).origin;
      const headers = { cookie: user.cookie, origin };

      global.gc?.();
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 100);
      try {
        const created = await tusRequest(server.url, 'POST', TUS, {
          headers: {
            ...headers,
            'upload-length': String(TOTAL),
            'upload-metadata': tusMetadata({ vaultId, filename: 'disk-image.bin' }),
          },
        });
        expect(created.status).toBe(201);
        const location = String(created.headers.location);
        const patch = (offset: number, cutAfterBytes?: number) =>
          tusRequest(server.url, 'PATCH', location, {
            headers: {
              ...headers,
              'upload-offset': String(offset),
              'content-type': 'application/offset+octet-stream',
            },
            body: content(offset),
            cutAfterBytes,
          });

        const cutAt = Math.floor(TOTAL * 0.45) + 777;
        expect((await patch(0, cutAt)).cut).toBe(true);
        phase('upload to the cut');
        let offset = -1;
        for (let tries = 0; tries < 600; tries++) {
          const [row] = await svd.db
            .select()
            .from(schema.resumableUpload)
            .where(eq(schema.resumableUpload.id, location.split('/').at(-1) ?? ''));
          if (!row?.lockToken) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const head = await tusRequest(server.url, 'HEAD', location, { headers });
        offset = Number(head.headers['upload-offset']);
        expect(offset).toBeGreaterThan(0);
        expect(offset).toBeLessThanOrEqual(cutAt);

        phase('cut request stored');
        const resumed = await patch(offset);
        expect(resumed.status).toBe(204);
        expect(resumed.headers['upload-offset']).toBe(String(TOTAL));
        phase('resumed upload');

        const [document] = await svd.db
          .select()
          .from(schema.document)
          .where(eq(schema.document.userId, user.userId));
        expect(document).toMatchObject({ state: 'ready', sizeBytes: TOTAL, sha256: expectedHash });
        const response = await fetch(`${server.url}/api/documents/${document?.id}/download`, {
          headers: { cookie: user.cookie },
        });
        expect(response.status).toBe(200);
        const actual = createHash('sha256');
        let received = 0;
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          actual.update(chunk);
          received += chunk.length;
        }
        expect(received).toBe(TOTAL);
        expect(actual.digest('hex')).toBe(expectedHash);
        phase('download');
        // The manifest and the gigabytes of parts it lists.
        await deleteBlob(vaultStorage().store, document?.storageKey ?? '');
      } finally {
        clearInterval(sampler);
      }
      const growthMb = Math.round((peak - baseline) / 1024 ** 2);
      console.log(
        `[tus large] ${(TOTAL / 1024 ** 3).toFixed(2)} GiB, cut at 45 %: resident memory ${Math.round(baseline / 1024 ** 2)} MB → peak ${Math.round(peak / 1024 ** 2)} MB (+${growthMb} MB); ${phases.join(', ')}`,
      );
      // The file is gigabytes; anything holding it (or a growing share of it) would show here.
      expect(growthMb).toBeLessThan(400);
    },
    30 * 60_000,
  );
});
