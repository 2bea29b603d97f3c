/**
 * The profile summariser on a small real V8 CPU profile (fixtures/profile, made by make.mjs): a chunk whose source
 * map gives its two functions different sources, run one after the other. The assertions are about attribution
 * (sources, buckets, windows, totals), never about how long anything took.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  attribute,
  bucketOf,
  createSourceResolver,
  normaliseSource,
  summariseRuns,
  type TProfile,
} from './profile-summary';

const fixtures = path.join(import.meta.dirname, 'fixtures', 'profile');
const repoRoot = path.resolve(import.meta.dirname, '../..');
const phases = JSON.parse(readFileSync(path.join(fixtures, 'phases.json'), 'utf8')) as {
  start: number;
  between: number;
  end: number;
};
// The profile was recorded in another checkout: its file URLs name the repository as file:///REPO/.
const profileText = readFileSync(path.join(fixtures, 'profile.cpuprofile'), 'utf8').replaceAll(
  'file:///REPO/',
  `${pathToFileURL(repoRoot).href}/`,
);
const profile = JSON.parse(profileText) as TProfile;
const chunkFrame = (name: string) => {
  const node = profile.nodes.find(
    (candidate) => candidate.callFrame.functionName === name && candidate.callFrame.url.endsWith('chunk.js'),
  );
  if (!node) throw new Error(`no ${name} frame in the fixture`);
  return node.callFrame;
};

const scratch = mkdtempSync(path.join(os.tmpdir(), 'profile-summary-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('profile summary', () => {
  it('traces a bundled frame to its original source through the source map beside the chunk', () => {
    const resolve = createSourceResolver();
    expect(resolve(chunkFrame('buildQuery'))).toEqual({
      source: 'node_modules/drizzle-orm/pg-core/dialect.js',
      line: 10,
      name: 'buildQuery',
    });
    expect(resolve(chunkFrame('handler'))).toEqual({
      source: 'apps/svd/src/lib/usage/read-usage.ts',
      line: 20,
      name: 'handler',
    });
  });

  it('buckets sources by where they live, Next.js and React by the part of Next.js they come from', () => {
    const cases: Array<[string, string]> = [
      ['apps/hub/src/app/launch/[slug]/route.ts', 'our code'],
      ['packages/db/src/client.ts', 'our code'],
      [
        'node_modules/next/dist/compiled/react-server-dom-turbopack/cjs/server.node.production.js',
        'React flight',
      ],
      ['node_modules/next/dist/compiled/react-dom/cjs/react-dom-server.node.production.js', 'React render'],
      ['node_modules/next/src/server/app-render/app-render.tsx', 'Next app-render'],
      ['node_modules/next/dist/esm/server/web/adapter.js', 'Next proxy/middleware'],
      ['node_modules/next/src/server/base-server.ts', 'Next routing/server'],
      ['node_modules/drizzle-orm/pg-core/dialect.js', 'drizzle'],
      ['node_modules/src/entity.ts', 'drizzle'],
      ['node_modules/pg-protocol/dist/parser.js', 'pg'],
      ['node_modules/better-call/dist/index.mjs', 'better-auth'],
      ['node_modules/jose/dist/webapi/jws/flattened/sign.js', 'jose/crypto'],
      ['node:internal/crypto/hash', 'jose/crypto'],
      ['node_modules/zod/v4/core/schemas.js', 'zod'],
      ['node:internal/webstreams/readablestream', 'undici/web streams'],
      ['node:internal/deps/undici/undici', 'undici/web streams'],
      ['node:_http_server', 'node http/net/streams'],
      ['node:internal/async_local_storage/async_hooks', 'async context'],
      ['node_modules/pino/lib/proto.js', 'other packages'],
    ];
    for (const [source, bucket] of cases)
      expect([source, bucketOf({ source, line: 1, name: 'f' })]).toEqual([source, bucket]);
    expect(bucketOf({ source: '', line: 0, name: '(garbage collector)' })).toBe('GC');
    expect(bucketOf({ source: '', line: 0, name: '(idle)' })).toBe('idle');
    expect(normaliseSource('webpack://next/./src/server/base-server.ts')).toBe(
      'node_modules/next/src/server/base-server.ts',
    );
    expect(normaliseSource('file:///srv/x/apps/svd/.next/server/chunks/a.js')).toBe(
      'apps/svd/.next/server/chunks/a.js',
    );
  });

  it('cuts samples along windows: each phase holds only the work that ran in it', () => {
    const resolve = createSourceResolver();
    const first = attribute(profile, resolve, phases.start, phases.between);
    const second = attribute(profile, resolve, phases.between, phases.end);
    expect(first.buckets.get('drizzle')).toBeGreaterThan(0);
    expect(first.buckets.get('our code') ?? 0).toBe(0);
    expect(second.buckets.get('our code')).toBeGreaterThan(0);
    expect(second.buckets.get('drizzle') ?? 0).toBe(0);
    const top = [...second.functions].sort((a, b) => b[1] - a[1])[0]?.[0];
    expect(top).toBe('handler  apps/svd/src/lib/usage/read-usage.ts:20');
  });

  it('counts every sampled interval once, and charges a frame without a source to its caller', () => {
    const whole = attribute(profile, createSourceResolver());
    const bucketed = [...whole.buckets.values()].reduce((sum, ms) => sum + ms, 0);
    const span = profile.timeDeltas.slice(1).reduce((sum, delta) => sum + delta, 0) / 1000;
    expect(bucketed).toBeCloseTo(whole.busyMs, 6);
    expect(whole.busyMs + whole.idleMs).toBeCloseTo(span, 6);
    // openFileHandle is a native binding (no URL); fs/promises' open asked for it.
    const native = [...whole.functions.keys()].find((key) => key.startsWith('openFileHandle ← open'));
    expect(native).toMatch(/ node:internal\/fs\/promises:\d+$/);
  });

  it('prints CPU per request of each run window, split by bucket, and its extra over the same server’s bare route', () => {
    const dir = mkdtempSync(path.join(scratch, 'runs-'));
    // The bench finds each server's profile by the pid in Node's file name (CPU.<date>.<time>.<pid>.<thread>.<n>).
    writeFileSync(path.join(dir, 'CPU.20261202.102523.4242.0.001.cpuprofile'), profileText);
    writeFileSync(
      path.join(dir, 'windows.json'),
      JSON.stringify({
        pids: { hub: 4343, svd: 4242 },
        windows: [
          {
            label: 'SVD bare API route',
            app: 'svd',
            startUs: phases.start,
            endUs: phases.between,
            requests: 10,
            cpuMs: { hub: 0, svd: 50 },
          },
          {
            label: 'entitled /api/usage',
            app: 'svd',
            startUs: phases.between,
            endUs: phases.end,
            requests: 10,
            cpuMs: { hub: 0, svd: 70 },
          },
        ],
      }),
    );
    const report = summariseRuns(dir, 3);
    const rows = report.split('\n').filter((line) => line.startsWith('| '));
    const header = rows[0]?.split(' | ') ?? [];
    const entitled = rows.find((line) => line.startsWith('| entitled /api/usage'))?.split(' | ') ?? [];
    const bare = rows.find((line) => line.startsWith('| SVD bare API route'))?.split(' | ') ?? [];
    const column = (name: string) => header.indexOf(name);
    expect(entitled[column('CPU ms/req (/proc)')]).toBe('7.0');
    expect(bare[column('over bare API route')]).toBe('');
    // The extra over the bare route is /proc CPU per request: 70 / 10 - 50 / 10.
    expect(entitled[column('over bare API route')]).toBe('+2.0');
    // The buckets split the /proc CPU by the samples' shares, so they add up to it.
    const buckets = header.slice(column('sampled busy ms/req') + 1, column('idle ms/req'));
    const sum = buckets.reduce((total, name) => total + Number(entitled[column(name)]), 0);
    expect(sum).toBeCloseTo(7, 0);
    expect(Number(entitled[column('our code')])).toBeGreaterThan(0);
    expect(Number(bare[column('drizzle')])).toBeGreaterThan(0);
    expect(report).toContain('entitled /api/usage (svd): top 3 functions by self time, ms per request');
  });
});
