/**
 * Where a V8 CPU profile of a `next start` server (from `npm run bench -- --profile DIR`) spent its time.
 *
 * `npx tsx scripts/bench/profile-summary.ts <file.cpuprofile> [top]`: the whole profile, self time by bucket and
 * the functions with the most self time.
 * `npx tsx scripts/bench/profile-summary.ts --runs DIR`: per load run of the benchmark (the bench writes each run's
 * window on the monotonic clock V8 stamps its samples with, its request count and the servers' pids to
 * DIR/windows.json), CPU ms per request of each server split into buckets, and each run's top functions.
 *
 * Every frame is traced back to its source through the source map beside the file it ran from (the apps' server
 * chunks and Next.js's precompiled runtime both ship one), so bundled code is attributed to the package or folder
 * it came from. `npm run bench -- --profile` builds the apps with their server code unminified
 * (BENCH_READABLE_BUILD=1), so the function names are the source's too.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const ZProfileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({
        functionName: z.string(),
        url: z.string(),
        lineNumber: z.number(),
        columnNumber: z.number(),
      }),
      children: z.array(z.number()).optional(),
    }),
  ),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});
export type TProfile = z.infer<typeof ZProfileSchema>;
type TCallFrame = TProfile['nodes'][number]['callFrame'];

export const ZRunWindowSchema = z.object({
  label: z.string(),
  /** The server the run loads; the other one's CPU in the same window is printed beside it. */
  app: z.enum(['hub', 'svd']),
  /** Microseconds on the monotonic clock (`process.hrtime`), the clock V8 stamps profile samples with on Linux. */
  startUs: z.number(),
  endUs: z.number(),
  requests: z.number(),
  /** CPU time of each server's process tree in the window (/proc utime + stime: every thread, GC included). */
  cpuMs: z.object({ hub: z.number(), svd: z.number() }),
});
export type TRunWindow = z.infer<typeof ZRunWindowSchema>;
export const ZWindowsFileSchema = z.object({
  pids: z.object({ hub: z.number(), svd: z.number() }),
  windows: z.array(ZRunWindowSchema),
});

/** Where a frame's code came from: the original source file (repo-relative when it is ours or a package's). */
export interface TFrameSource {
  source: string;
  line: number;
  name: string;
}

/** A path inside the repo or a package, whatever absolute or bundler prefix it was written with. */
export function normaliseSource(source: string): string {
  const webpackNext = /^webpack:\/\/next\/\.\/(.*)$/.exec(source);
  if (webpackNext) return `node_modules/next/${webpackNext[1]}`;
  const plain = decodeURIComponent(source.replace(/^file:\/\//, ''));
  const modules = plain.lastIndexOf('node_modules/');
  if (modules >= 0) return plain.slice(modules);
  const own = /(?:^|\/)((?:apps|packages|scripts)\/.*)$/.exec(plain);
  return own?.[1] ?? plain;
}

/**
 * Resolves call frames to their original source through the source map beside each file (`<file>.map` or its
 * `sourceMappingURL`), cached per file and per position. Frames of files without a map keep their own path.
 */
export function createSourceResolver(): (frame: TCallFrame) => TFrameSource {
  const maps = new Map<string, { map: SourceMap; dir: string } | null>();
  const resolved = new Map<string, TFrameSource>();
  const mapOf = (url: string) => {
    if (maps.has(url)) return maps.get(url) ?? null;
    let entry: { map: SourceMap; dir: string } | null = null;
    try {
      const file = url.startsWith('file://') ? fileURLToPath(url) : url;
      if (path.isAbsolute(file) && existsSync(file)) {
        let mapFile = `${file}.map`;
        if (!existsSync(mapFile)) {
          const tail = readFileSync(file, 'utf8').slice(-500);
          const named = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(tail)?.[1];
          mapFile =
            named && !named.startsWith('data:')
              ? path.resolve(path.dirname(file), decodeURIComponent(named))
              : '';
        }
        if (mapFile && existsSync(mapFile)) {
          entry = {
            map: new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))),
            dir: path.dirname(mapFile),
          };
        }
      }
    } catch {
      entry = null;
    }
    maps.set(url, entry);
    return entry;
  };
  return (frame) => {
    const key = `${frame.url}:${frame.lineNumber}:${frame.columnNumber}:${frame.functionName}`;
    const cached = resolved.get(key);
    if (cached) return cached;
    let result: TFrameSource = {
      source: frame.url ? normaliseSource(frame.url) : '',
      line: frame.lineNumber + 1,
      name: frame.functionName,
    };
    const sourceMap = frame.url && frame.lineNumber >= 0 ? mapOf(frame.url) : null;
    if (sourceMap) {
      const found = sourceMap.map.findEntry(frame.lineNumber, frame.columnNumber) as {
        originalSource?: string;
        originalLine?: number;
        name?: string;
      };
      if (found.originalSource) {
        const original = /^[a-z]+:\/\//.test(found.originalSource)
          ? found.originalSource
          : path.resolve(sourceMap.dir, found.originalSource);
        result = {
          source: normaliseSource(original),
          line: (found.originalLine ?? 0) + 1,
          name: frame.functionName || found.name || '',
        };
      }
    }
    resolved.set(key, result);
    return result;
  };
}

/**
 * The bucket a frame's self time goes to, by where its source lives. Our code is the apps' and packages' sources
 * (bundled into the apps' chunks; the source map names the file); the rest by the library that does the work.
 */
export function bucketOf(frame: TFrameSource): string {
  const { source, name } = frame;
  if (!source) {
    if (name === '(garbage collector)') return 'GC';
    if (name === '(idle)') return 'idle';
    return 'V8/native';
  }
  if (/^(apps|packages)\//.test(source)) return 'our code';
  const next = /^node_modules\/next\/(.*)$/.exec(source);
  if (next) {
    const inner = next[1] ?? '';
    if (/compiled\/react-server-dom-[^/]+\//.test(inner)) return 'React flight';
    if (/compiled\/(react|react-dom|scheduler)\//.test(inner)) return 'React render';
    if (/server\/app-render\/|server\/stream-utils\/|render-result|pipe-readable/.test(inner))
      return 'Next app-render';
    if (/server\/web\/|adapter|middleware|proxy|next-request|request-cookies/.test(inner))
      return 'Next proxy/middleware';
    if (
      /server\/(lib\/router|lib\/start-server|lib\/router-utils|base-server|next-server|request-meta|route-matcher|route-matchers|route-modules|lib\/server-ipc)|shared\/lib\/router|server\/lib\//.test(
        inner,
      )
    )
      return 'Next routing/server';
    return 'Next other';
  }
  if (/^node_modules\/(react|react-dom|scheduler)\//.test(source)) return 'React render';
  if (/^node_modules\/drizzle-orm\//.test(source)) return 'drizzle';
  // drizzle-orm's own source maps name `../src/*.ts`; Turbopack's composed map resolves them one folder too high.
  if (/^node_modules\/src\//.test(source))
    return /^node_modules\/src\/api\//.test(source) ? 'Next other' : 'drizzle';
  if (
    /^node_modules\/(pg|pg-protocol|pg-pool|pg-types|pg-int8|pg-connection-string|pgpass|postgres-[^/]+)\//.test(
      source,
    )
  )
    return 'pg';
  if (
    /^node_modules\/(better-auth|@better-auth\/[^/]+|better-call|@better-fetch\/[^/]+|defu|rou3|nanostores)\//.test(
      source,
    )
  )
    return 'better-auth';
  if (
    /^node_modules\/(jose|@noble\/[^/]+|@node-rs\/[^/]+)\//.test(source) ||
    /^node:(internal\/)?crypto/.test(source)
  )
    return 'jose/crypto';
  if (/^node_modules\/zod\//.test(source)) return 'zod';
  if (/^node_modules\/undici\//.test(source) || /^node:internal\/(deps\/undici|webstreams)/.test(source))
    return 'undici/web streams';
  if (/^node:(internal\/)?(async_hooks|async_local_storage)/.test(source)) return 'async context';
  if (
    /^node:(_http_|http|net|stream|internal\/streams|internal\/stream_base|internal\/http|internal\/net|internal\/js_stream|buffer|internal\/buffer|string_decoder|zlib)/.test(
      source,
    )
  )
    return 'node http/net/streams';
  if (
    /^node:(internal\/process\/task_queues|internal\/timers|timers|events|internal\/event_target)/.test(
      source,
    )
  )
    return 'event loop/microtasks';
  if (/^node:(internal\/)?fs/.test(source)) return 'node fs (logs)';
  if (source.startsWith('node:')) return 'node other';
  if (source.includes('[turbopack]') || source.includes('turbopack')) return 'Next other';
  return 'other packages';
}

/** The buckets in the order the per-path table prints them. */
export const BUCKETS = [
  'our code',
  'Next routing/server',
  'Next proxy/middleware',
  'Next app-render',
  'Next other',
  'React render',
  'React flight',
  'drizzle',
  'pg',
  'better-auth',
  'jose/crypto',
  'zod',
  'undici/web streams',
  'node http/net/streams',
  'async context',
  'event loop/microtasks',
  'node fs (logs)',
  'node other',
  'other packages',
  'GC',
  'V8/native',
] as const;

export interface TAttribution {
  /** Sampled time that was not idle, by bucket (ms). */
  buckets: Map<string, number>;
  busyMs: number;
  idleMs: number;
  /** Self time by function (`name  source:line`), ms. */
  functions: Map<string, number>;
}

/**
 * Self time of the samples in [fromUs, toUs) (the whole profile without bounds), by bucket and by function.
 * A sample lasts until the next one (as Chrome DevTools counts it). A frame with no source of its own (a V8
 * builtin such as `JSON.parse` or `Array.prototype.join`) is charged to the nearest caller that has one, so the
 * work is counted where it was asked for; V8's own entries ((garbage collector), (program), (idle)) stay as they are.
 */
export function attribute(
  profile: TProfile,
  resolve: (frame: TCallFrame) => TFrameSource,
  fromUs = Number.NEGATIVE_INFINITY,
  toUs = Number.POSITIVE_INFINITY,
): TAttribution {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const owner = new Map<number, TFrameSource>();
  const ownerOf = (id: number): TFrameSource => {
    const known = owner.get(id);
    if (known) return known;
    const frame = byId.get(id)?.callFrame;
    let result: TFrameSource = { source: '', line: 0, name: frame?.functionName ?? '' };
    if (frame) {
      const own = resolve(frame);
      const special = /^\((garbage collector|idle|program|root)\)$/.test(frame.functionName);
      const up = parent.get(id);
      if (own.source || special || up === undefined) result = own;
      else {
        const caller = ownerOf(up);
        result = caller.source
          ? { ...caller, name: `${frame.functionName || '(anonymous)'} ← ${caller.name}` }
          : own;
      }
    }
    owner.set(id, result);
    return result;
  };
  const buckets = new Map<string, number>();
  const functions = new Map<string, number>();
  let busyMs = 0;
  let idleMs = 0;
  let at = profile.startTime;
  const times = profile.timeDeltas.map((delta) => {
    at += delta;
    return at;
  });
  profile.samples.forEach((id, index) => {
    const time = times[index] ?? 0;
    if (time < fromUs || time >= toUs) return;
    const ms = ((times[index + 1] ?? time) - time) / 1000;
    const frame = ownerOf(id);
    const bucket = bucketOf(frame);
    if (bucket === 'idle') {
      idleMs += ms;
      return;
    }
    busyMs += ms;
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + ms);
    const key = `${frame.name || '(anonymous)'}  ${frame.source || '(V8)'}${frame.source ? `:${frame.line}` : ''}`;
    functions.set(key, (functions.get(key) ?? 0) + ms);
  });
  return { buckets, busyMs, idleMs, functions };
}

export function loadProfile(file: string): TProfile {
  return ZProfileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

const perRequest = (ms: number, requests: number) => ms / Math.max(requests, 1);

const topOf = (entries: Map<string, number>, count: number) =>
  [...entries].sort((a, b) => b[1] - a[1]).slice(0, count);

/** The per-run report of `--runs DIR`: one table of CPU ms per request by bucket, then each run's top functions. */
export function summariseRuns(dir: string, top = 10): string {
  const { pids, windows } = ZWindowsFileSchema.parse(
    JSON.parse(readFileSync(path.join(dir, 'windows.json'), 'utf8')),
  );
  const files = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'));
  const fileOf = (pid: number) => files.find((name) => name.split('.')[3] === String(pid));
  const resolve = createSourceResolver();
  const profiles: Partial<Record<'hub' | 'svd', TProfile>> = {};
  for (const app of ['hub', 'svd'] as const) {
    const file = fileOf(pids[app]);
    if (file) profiles[app] = loadProfile(path.join(dir, file));
  }
  const lines: string[] = [];
  const fmt = (ms: number) => (ms >= 9.95 ? ms.toFixed(0) : ms.toFixed(1));
  const results = windows.map((window) => {
    const profile = profiles[window.app];
    const other = window.app === 'hub' ? 'svd' : 'hub';
    const otherProfile = profiles[other];
    const own = profile ? attribute(profile, resolve, window.startUs, window.endUs) : null;
    const otherBusy = otherProfile
      ? attribute(otherProfile, resolve, window.startUs, window.endUs).busyMs
      : 0;
    return { window, own, otherBusy, other };
  });
  const bareOf = (app: 'hub' | 'svd') =>
    results.find((result) => result.window.app === app && /bare API route/.test(result.window.label));
  const used = BUCKETS.filter((bucket) =>
    results.some(
      (result) => perRequest(result.own?.buckets.get(bucket) ?? 0, result.window.requests) >= 0.05,
    ),
  );
  // The samples' durations are wall time on the JS thread, which on a busy machine includes waiting for a core;
  // /proc's CPU time is what the process used (all its threads). Each bucket is printed as its share of the sampled
  // busy time times the /proc CPU time, so the buckets add up to the CPU the request cost.
  lines.push(
    'CPU ms per request from /proc, split by the profile: each bucket is its share of the sampled busy time × that CPU.',
    '',
  );
  const header = [
    'run',
    'server',
    'requests',
    'CPU ms/req (/proc)',
    'over bare API route',
    'sampled busy ms/req',
    ...used,
    'idle ms/req',
    'other server busy ms/req',
  ];
  lines.push(`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`);
  for (const { window, own, otherBusy } of results) {
    const per = (ms: number) => perRequest(ms, window.requests);
    const cpu = per(window.cpuMs[window.app]);
    const bare = bareOf(window.app);
    const bareCpu = bare ? perRequest(bare.window.cpuMs[window.app], bare.window.requests) : null;
    const share = (ms: number) => (own && own.busyMs > 0 ? (cpu * ms) / own.busyMs : 0);
    lines.push(
      `| ${[
        window.label,
        window.app,
        String(window.requests),
        fmt(cpu),
        bareCpu !== null && bare !== undefined && bare.window !== window
          ? `${cpu >= bareCpu ? '+' : '-'}${fmt(Math.abs(cpu - bareCpu))}`
          : '',
        own ? fmt(per(own.busyMs)) : 'no profile',
        ...used.map((bucket) => (own ? fmt(share(own.buckets.get(bucket) ?? 0)) : '')),
        own ? fmt(per(own.idleMs)) : '',
        fmt(per(otherBusy)),
      ].join(' | ')} |`,
    );
  }
  for (const { window, own } of results) {
    if (!own) continue;
    lines.push('', `${window.label} (${window.app}): top ${top} functions by self time, ms per request`);
    for (const [name, ms] of topOf(own.functions, top)) {
      lines.push(`${fmt(perRequest(ms, window.requests)).padStart(7)}  ${name}`);
    }
  }
  return lines.join('\n');
}

function summariseFile(file: string, top: number): string {
  const profile = loadProfile(file);
  const result = attribute(profile, createSourceResolver());
  const total = result.busyMs + result.idleMs;
  const lines = [
    `${file}: ${total.toFixed(0)} ms sampled, ${result.idleMs.toFixed(0)} ms idle`,
    '',
    'self time by bucket',
  ];
  for (const [bucket, ms] of topOf(result.buckets, BUCKETS.length)) {
    lines.push(`${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${bucket}`);
  }
  lines.push('', 'functions with the most self time');
  for (const [name, ms] of topOf(result.functions, top)) {
    lines.push(`${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${name}`);
  }
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [first, second] = process.argv.slice(2);
  if (!first) {
    throw new Error(
      'usage: tsx scripts/bench/profile-summary.ts <file.cpuprofile> [top] | --runs <profile dir> [top]',
    );
  }
  if (first === '--runs') {
    if (!second) throw new Error('usage: tsx scripts/bench/profile-summary.ts --runs <profile dir> [top]');
    console.log(summariseRuns(second, Number(process.argv[4] ?? 10)));
  } else {
    console.log(summariseFile(first, Number(second ?? 25)));
  }
}
