import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const APP_DIR = path.resolve(import.meta.dirname, '../app');
// SVD has no exception: even the streamed uploads (outside proxy.ts) go through apiRoute.
const EXEMPT = new Set<string>([]);

describe('route files', () => {
  // A route written without apiRoute would miss the origin rule, the content-type rule and the one 401.
  it('are all written with apiRoute', async () => {
    const routes = (await readdir(APP_DIR, { recursive: true }))
      .map((file) => file.split(path.sep).join('/'))
      .filter((file) => /(^|\/)route\.ts$/.test(file) && !EXEMPT.has(file));
    expect(routes.length).toBeGreaterThan(3);
    const bare: string[] = [];
    for (const file of routes) {
      const source = await readFile(path.join(APP_DIR, file), 'utf8');
      if (!source.includes("from '@/lib/api-route'") || /\bapiHandler\b/.test(source)) bare.push(file);
    }
    expect(bare).toEqual([]);
  });
});
