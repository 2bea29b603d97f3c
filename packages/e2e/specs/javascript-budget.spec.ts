import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';

/** Issue 13: no page of either app may make the browser fetch more than this much JavaScript, gzipped. */
const BUDGET_BYTES = 150 * 1024;

const repoRoot = path.resolve(import.meta.dirname, '../../..');

/** Every page's client reference manifest under a build's `server/app` (one per page, route groups included). */
function manifestFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return manifestFiles(full);
    return entry.name === 'page_client-reference-manifest.js' ? [full] : [];
  });
}

/**
 * What each page loads, from the production build `npm run test:e2e` made just before this spec: the runtime every
 * page shares (build-manifest.json's rootMainFiles) plus every chunk the page's client reference manifest names
 * for its layouts, error boundaries and the page itself (an upper bound of the scripts its HTML names; the bench's
 * `--only js` measures those over HTTP). Chunks loaded later with `import()` (dialogs, tus-js-client, the QR code)
 * are in no entry and do not count. Nothing is timed; it reads files, well under a second.
 */
function javascriptPerPage(app: 'hub' | 'svd'): Array<{ page: string; bytes: number; files: string[] }> {
  const build = path.join(repoRoot, 'apps', app, '.next');
  const gzipped = new Map<string, number>();
  const sizeOf = (file: string) => {
    const known = gzipped.get(file);
    if (known !== undefined) return known;
    const size = gzipSync(readFileSync(path.join(build, file))).length;
    gzipped.set(file, size);
    return size;
  };
  const { rootMainFiles } = JSON.parse(readFileSync(path.join(build, 'build-manifest.json'), 'utf8')) as {
    rootMainFiles: string[];
  };
  return manifestFiles(path.join(build, 'server', 'app')).flatMap((file) => {
    // The manifest is a script that assigns globalThis.__RSC_MANIFEST[page]; run it in an empty context.
    const context: { __RSC_MANIFEST?: Record<string, { entryJSFiles?: Record<string, string[]> }> } = {};
    runInNewContext(readFileSync(file, 'utf8'), context);
    return Object.entries(context.__RSC_MANIFEST ?? {}).map(([page, manifest]) => {
      const files = new Set([...rootMainFiles, ...Object.values(manifest.entryJSFiles ?? {}).flat()]);
      const bytes = [...files].reduce((sum, chunk) => sum + sizeOf(chunk), 0);
      return { page, bytes, files: [...files] };
    });
  });
}

for (const app of ['hub', 'svd'] as const) {
  test(`every ${app} page loads at most 150 KB of JavaScript, gzipped`, () => {
    // Every page, the staff console's included (its customer search reads the URL without zod and loads the table
    // library beside the first answer; the metrics charts load after the page).
    const pages = javascriptPerPage(app);
    // The build lists its pages (Hub: /, /portal, /billing, /admin/customers, …; SVD: /vault, /vault/trash, …).
    expect(pages.map((p) => p.page)).toContain(app === 'hub' ? '/portal/page' : '/vault/page');
    if (app === 'hub') expect(pages.map((p) => p.page)).toContain('/admin/customers/page');
    const over = pages
      .filter((p) => p.bytes > BUDGET_BYTES)
      .map((p) => `${p.page}: ${(p.bytes / 1024).toFixed(1)} KB (${p.files.join(', ')})`);
    expect(over, 'pages over 150 KB of gzipped JavaScript').toEqual([]);
  });
}
