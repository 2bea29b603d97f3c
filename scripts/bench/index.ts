/**
 * `npm run bench` — every benchmark of issue 13 against production builds, one table (a measurement, not a test;
 * not part of `npm test` or CI). Starts its own throw-away world (scripts/bench/stack.ts: embedded PostgreSQL,
 * Stripe emulator, `next build` + `next start` on 3400/3401 with BENCH_ROUTES=1), seeds it (world.ts), then loads
 * each path with autocannon at 10 connections and prints absolute figures, p50/p99, and each figure as a ratio to
 * the bare route of the same app (or the raw copy/read of the same bytes) measured in the same run. Correctness
 * is checked after each run: every response had the expected status, every webhook event was applied exactly
 * once, the uploaded file downloads to the same bytes. "queries" is PostgreSQL transactions per request, from
 * the apps' database's pg_stat_database row around a sequential probe (each statement outside a transaction counts as one).
 *
 * Options: --duration S (per load run, default 10), --no-build (reuse the apps' .next builds), --size MB (the
 * transfer file, default 256), --only a,b (run some: bare, handoff, entitled, ssr, signin, webhook, transfer, js;
 * the bare routes always run, they are the baseline), --profile DIR (builds the servers' code unminified, and the
 * servers write V8 CPU profiles there when they stop; the bench then prints each run's CPU per request by bucket
 * from them, see scripts/bench/profile-summary.ts; open them in Chrome DevTools too), --wait-events (samples what
 * PostgreSQL's backends wait on during each measured run, scripts/bench/wait-events.ts), --synchronous-commit off
 * (an experiment: the embedded server's synchronous_commit off, to show what the commit's WAL flush costs).
 * `npm run bench -- migrate [options]` runs the SVD migration's benchmark instead (scripts/bench/svd-migrate.ts),
 * `npm run bench -- admin [options]` the console's customer search over 100,000 customers (scripts/bench/admin-search.ts).
 * `npm run bench -- admin-metrics [options]` the console's metrics dashboard over a year of 100,000 customers
 * (scripts/bench/admin-metrics.ts).
 * The builds write the apps' .next folders, as `npm run test:e2e` does: don't run both at once.
 */
import { createHmac } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { REPO_ROOT } from '../lib/env-file';
import { run } from '../lib/processes';
import { CONNECTIONS, load, type TLoadFigures } from './load';
import { summariseRuns } from './profile-summary';
import { inWindow, recordedWindows, trackServers } from './run-windows';
import { startBenchStack, type TBenchStack } from './stack';
import { encryptedDownload, encryptedUpload, rawCopy, rawRead, writeRandomFile } from './transfer';
import { enableWaitEvents, formatWaitEvents, recordedWaitEvents } from './wait-events';
import {
  BENCH_PASSWORD,
  eventsAppliedOnce,
  issueToken,
  nextClientAddress,
  seedWorld,
  signInOverHttp,
  type TBenchWorld,
} from './world';

if (process.argv[2] === 'admin-metrics') {
  const code = await run(
    path.join(REPO_ROOT, 'node_modules/.bin/tsx'),
    ['scripts/bench/admin-metrics.ts', ...process.argv.slice(3)],
    process.env,
  );
  process.exit(code);
}

if (process.argv[2] === 'admin') {
  const code = await run(
    path.join(REPO_ROOT, 'node_modules/.bin/tsx'),
    ['scripts/bench/admin-search.ts', ...process.argv.slice(3)],
    process.env,
  );
  process.exit(code);
}

if (process.argv[2] === 'migrate') {
  const code = await run(
    path.join(REPO_ROOT, 'node_modules/.bin/tsx'),
    ['--max-old-space-size=256', 'scripts/bench/svd-migrate.ts', ...process.argv.slice(3)],
    process.env,
  );
  process.exit(code);
}

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    'no-build': { type: 'boolean', default: false },
    size: { type: 'string', default: '256' },
    only: { type: 'string' },
    profile: { type: 'string' },
    'wait-events': { type: 'boolean', default: false },
    'synchronous-commit': { type: 'string' },
  },
});
const SYNCHRONOUS_COMMIT = z.enum(['on', 'off']).optional().parse(values['synchronous-commit']);
const DURATION = Number(values.duration);
const SIZE_MB = Number(values.size);
const ONLY = values.only ? new Set(values.only.split(',')) : null;
const wanted = (name: string) => !ONLY || ONLY.has(name);
const log = (line: string) => console.log(`[bench] ${line}`);

interface TRow {
  path: string;
  figure: string;
  p50?: number;
  p99?: number;
  ratio?: string;
  queries?: number;
  target: string;
  check: string;
}
const rows: TRow[] = [];
const problems: string[] = [];

const rps = (figures: TLoadFigures) => `${figures.requestsPerSecond.toFixed(0)} req/s`;
const percent = (value: number, base: number) => `${((100 * value) / base).toFixed(0)} %`;

function checked(name: string, figures: TLoadFigures): string {
  if (figures.total === 0) {
    problems.push(`${name}: no request completed`);
    return 'FAILED: none';
  }
  if (figures.unexpected > 0) {
    problems.push(
      `${name}: ${figures.unexpected} unexpected of ${figures.total} (${JSON.stringify(figures.statuses)})`,
    );
    return `FAILED: ${figures.unexpected} unexpected`;
  }
  return `ok (${figures.total})`;
}

/** Transactions committed or rolled back in the apps' database so far, once every backend has reported its counts. */
async function transactionsSoFar(stack: TBenchStack): Promise<{ count: number; at: number }> {
  // A busy backend reports its counts at most once a second, an idle one within 10 s (PGSTAT_IDLE_INTERVAL).
  await new Promise((resolve) => setTimeout(resolve, 11_000));
  await stack.admin.db.execute(sql`select pg_stat_clear_snapshot()`);
  const result = await stack.admin.db.execute<{ n: string }>(
    // The apps' database only: --wait-events polls from another one (wait-events.ts).
    sql`select sum(xact_commit + xact_rollback)::text as n from pg_stat_database where datname = current_database()`,
  );
  return { count: Number(result.rows[0]?.n ?? 0), at: Date.now() };
}

/** Transactions per second with no request at all (the apps' job queues polling, the stats reads themselves). */
let backgroundPerSecond: number | null = null;

/**
 * PostgreSQL transactions per request over a sequential probe (each statement outside a transaction is one), from
 * pg_stat_database, less the background rate measured once with no requests.
 */
async function queriesPerRequest(
  stack: TBenchStack,
  send: () => Promise<unknown>,
  count = 40,
): Promise<number> {
  if (backgroundPerSecond === null) {
    const idleStart = await transactionsSoFar(stack);
    const idleEnd = await transactionsSoFar(stack);
    backgroundPerSecond = (idleEnd.count - idleStart.count) / ((idleEnd.at - idleStart.at) / 1000);
  }
  const before = await transactionsSoFar(stack);
  for (let i = 0; i < count; i += 1) await send();
  const after = await transactionsSoFar(stack);
  const background = backgroundPerSecond * ((after.at - before.at) / 1000);
  return Math.max(0, after.count - before.count - background) / count;
}

/**
 * The baselines: /api/bench/bare, the least an API route does (API routes skip proxy.ts), and /bench/bare, the same
 * handler outside /api, so through the proxy as every page and HTML route (/launch, /login) is.
 */
async function bareRoutes(stack: TBenchStack) {
  const measure = async (app: 'hub' | 'svd', route: '/api/bench/bare' | '/bench/bare') =>
    load({
      url: `${app === 'hub' ? stack.hubUrl : stack.svdUrl}${route}`,
      duration: DURATION,
      expect: 200,
      window: {
        label: `${app === 'hub' ? 'Hub' : 'SVD'} ${route === '/bench/bare' ? 'bare route through the proxy' : 'bare API route'}`,
        app,
      },
    });
  const result = {
    hub: await measure('hub', '/api/bench/bare'),
    hubProxied: await measure('hub', '/bench/bare'),
    svd: await measure('svd', '/api/bench/bare'),
    svdProxied: await measure('svd', '/bench/bare'),
  };
  for (const [name, figures, base] of [
    ['Hub bare API route (GET /api/bench/bare)', result.hub, result.hub],
    ['Hub bare route through the proxy (GET /bench/bare)', result.hubProxied, result.hub],
    ['SVD bare API route (GET /api/bench/bare)', result.svd, result.svd],
    ['SVD bare route through the proxy (GET /bench/bare)', result.svdProxied, result.svd],
  ] as const) {
    rows.push({
      path: name,
      figure: rps(figures),
      p50: figures.p50,
      p99: figures.p99,
      ratio: percent(figures.requestsPerSecond, base.requestsPerSecond),
      target: 'baseline',
      check: checked(name, figures),
    });
  }
  return result;
}

async function handOff(stack: TBenchStack, world: TBenchWorld, bare: { hub: number; svd: number }) {
  const tokens: string[] = [];
  const launchPath = `/launch/securevault?state=${world.launchState}`;
  const issue = await load({
    url: stack.hubUrl,
    duration: DURATION,
    expect: 200,
    window: { label: 'hand-off issue', app: 'hub' },
    requests: [
      {
        method: 'GET',
        path: launchPath,
        headers: { cookie: world.hubCookie },
        onResponse: (_status, body) => {
          const token = /name="token" value="([^"]+)"/.exec(body)?.[1];
          if (token) tokens.push(token);
        },
      },
    ],
  });
  const issueQueries = await queriesPerRequest(stack, () =>
    issueToken(stack, world.hubCookie, world.launchState),
  );
  rows.push({
    path: 'hand-off issue (Hub GET /launch/securevault)',
    figure: rps(issue),
    p50: issue.p50,
    p99: issue.p99,
    ratio: percent(issue.requestsPerSecond, bare.hub),
    queries: issueQueries,
    target: '≥ 60 %, p99 ≤ 50 ms',
    check: checked('hand-off issue', issue),
  });
  // Every token the issue run minted is consumed once, fresh, by the consume run. Those of the issue's 2 s warm-up
  // (the first sixth of 12 s) warm the consume up, uncounted, as every other run is: before, it began cold, SVD's
  // pool empty after a minute without queries (idle connections close after 30 s), so its first ten requests each
  // opened a connection (SCRAM) in JIT-cold code, and that was its p99 (198 ms against a p50 of 38 ms).
  const form = (token: string) => new URLSearchParams({ token }).toString();
  const consumeRun = (batch: string[], label: string) => {
    let next = 0;
    return load({
      url: stack.svdUrl,
      amount: batch.length,
      expect: 303,
      window: { label, app: 'svd' },
      requests: [
        {
          method: 'POST',
          path: '/login',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            origin: stack.hubUrl,
            cookie: `svd_launch=${world.launchState}`,
          },
          setupRequest: (request) => {
            const token = batch[next] ?? batch[batch.length - 1] ?? '';
            next += 1;
            return { ...request, body: form(token) };
          },
        },
      ],
    });
  };
  await consumeRun(tokens.splice(0, Math.floor(tokens.length / 6)), 'hand-off consume (warm-up)');
  const consume = await consumeRun(tokens, 'hand-off consume');
  const probeTokens: string[] = [];
  for (let i = 0; i < 40; i += 1)
    probeTokens.push(await issueToken(stack, world.hubCookie, world.launchState));
  const consumeQueries = await queriesPerRequest(stack, () =>
    fetch(`${stack.svdUrl}/login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: stack.hubUrl,
        cookie: `svd_launch=${world.launchState}`,
      },
      body: form(probeTokens.pop() ?? ''),
      redirect: 'manual',
    }).then((response) => response.arrayBuffer()),
  );
  rows.push({
    path: 'hand-off consume (SVD POST /login, fresh token)',
    figure: rps(consume),
    p50: consume.p50,
    p99: consume.p99,
    ratio: percent(consume.requestsPerSecond, bare.svd),
    queries: consumeQueries,
    target: '≥ 60 %, p99 ≤ 50 ms',
    check: checked('hand-off consume', consume),
  });
}

async function entitled(stack: TBenchStack, world: TBenchWorld, bare: { svd: number }) {
  const figures = await load({
    url: `${stack.svdUrl}/api/usage`,
    duration: DURATION,
    headers: { cookie: world.svdCookie },
    expect: 200,
    window: { label: 'entitled /api/usage', app: 'svd' },
  });
  const queries = await queriesPerRequest(stack, () =>
    fetch(`${stack.svdUrl}/api/usage`, { headers: { cookie: world.svdCookie } }).then((r) => r.arrayBuffer()),
  );
  rows.push({
    path: 'entitled request (SVD GET /api/usage)',
    figure: rps(figures),
    p50: figures.p50,
    p99: figures.p99,
    ratio: percent(figures.requestsPerSecond, bare.svd),
    queries,
    target: '≥ 70 %, p99 ≤ 30 ms',
    check: checked('entitled request', figures),
  });
}

async function ssrPages(stack: TBenchStack, world: TBenchWorld, bare: { hub: number; svd: number }) {
  for (const [name, app, url, cookie, base] of [
    ['SSR page (Hub /portal)', 'hub', `${stack.hubUrl}/portal`, world.hubCookie, bare.hub],
    ['SSR page (SVD /vault)', 'svd', `${stack.svdUrl}/vault`, world.svdCookie, bare.svd],
  ] as const) {
    const figures = await load({
      url,
      duration: DURATION,
      headers: { cookie },
      expect: 200,
      window: { label: name, app },
    });
    const queries = await queriesPerRequest(stack, () =>
      fetch(url, { headers: { cookie } }).then((r) => r.arrayBuffer()),
    );
    rows.push({
      path: name,
      figure: rps(figures),
      p50: figures.p50,
      p99: figures.p99,
      ratio: percent(figures.requestsPerSecond, base),
      queries,
      target: '≥ 30 %, p99 ≤ 100 ms',
      check: checked(name, figures),
    });
  }
}

async function passwordSignIn(stack: TBenchStack, world: TBenchWorld) {
  let next = 0;
  const figures = await load({
    url: stack.hubUrl,
    duration: DURATION,
    expect: 200,
    window: { label: 'password sign-in', app: 'hub' },
    requests: [
      {
        method: 'POST',
        path: '/api/auth/sign-in/email',
        setupRequest: (request) => {
          const email = world.signInEmails[next % world.signInEmails.length];
          next += 1;
          return {
            ...request,
            headers: {
              'content-type': 'application/json',
              origin: stack.hubUrl,
              // One proxy hop is trusted in the benchmark: every attempt comes from its own address.
              'x-forwarded-for': nextClientAddress(),
            },
            body: JSON.stringify({ email, password: BENCH_PASSWORD }),
          };
        },
      },
    ],
  });
  rows.push({
    path: 'password sign-in (argon2id m=19456 KiB, t=2, p=1)',
    figure: `${figures.requestsPerSecond.toFixed(1)} per second`,
    p50: figures.p50,
    p99: figures.p99,
    target: '≥ 30 per second',
    check: checked('password sign-in', figures),
  });
}

/** A Stripe-Signature header for a body, as Stripe computes it (t=…,v1=HMAC-SHA256 of "t.body"). */
function stripeSignature(secret: string, body: string): string {
  const timestamp = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

async function webhook(stack: TBenchStack, world: TBenchWorld, bare: { hub: number }) {
  const stripe = (await import('@omg/billing')).createStripeClient(
    'sk_test_omg_local_emulator',
    stack.emulator.url,
  );
  const subscriptions = await Promise.all(
    world.subscriptionIds.map((id) => stripe.subscriptions.retrieve(id)),
  );
  const eventBody = (id: string, index: number) =>
    JSON.stringify({
      id,
      object: 'event',
      type: 'customer.subscription.updated',
      api_version: '2025-01-27.acacia',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: { object: subscriptions[index % subscriptions.length], previous_attributes: {} },
    });
  const url = `${stack.hubUrl}/api/webhooks/stripe`;
  // The same event again: delivered once first, then redelivered for the whole run.
  const repeated = eventBody(`evt_bench_repeat_${Date.now()}`, 0);
  const headers = (body: string) => ({
    'content-type': 'application/json',
    'stripe-signature': stripeSignature(stack.webhookSecret, body),
  });
  const first = await fetch(url, { method: 'POST', headers: headers(repeated), body: repeated });
  if (first.status !== 200) throw new Error(`webhook: ${first.status} ${await first.text()}`);
  const same = await load({
    url,
    method: 'POST',
    duration: DURATION,
    headers: headers(repeated),
    body: repeated,
    expect: 200,
    window: { label: 'webhook, the same event again', app: 'hub' },
  });
  const sameQueries = await queriesPerRequest(stack, () =>
    fetch(url, { method: 'POST', headers: headers(repeated), body: repeated }).then((r) => r.arrayBuffer()),
  );
  rows.push({
    path: 'webhook, the same event again',
    figure: rps(same),
    p50: same.p50,
    p99: same.p99,
    ratio: percent(same.requestsPerSecond, bare.hub),
    queries: sameQueries,
    target: '≥ 80 %',
    check: checked('webhook same event', same),
  });
  // Distinct events, each a new id; afterwards every one answered 200 must be processed once, without error.
  const sent: string[] = [];
  const answered = new Set<string>();
  const run = Date.now();
  const distinct = await load({
    url,
    duration: DURATION,
    expect: 200,
    window: { label: 'webhook, distinct events', app: 'hub' },
    requests: [
      {
        method: 'POST',
        path: '/api/webhooks/stripe',
        setupRequest: (request, context) => {
          const id = `evt_bench_${run}_${sent.length}`;
          context.id = id;
          const body = eventBody(id, sent.length);
          sent.push(id);
          return { ...request, headers: headers(body), body };
        },
        onResponse: (status, _body, context) => {
          if (status === 200) answered.add(String(context.id));
        },
      },
    ],
  });
  const applied = await eventsAppliedOnce(stack, [...answered]);
  if (applied.bad.length > 0) problems.push(`webhook: ${applied.bad.length} events not applied exactly once`);
  rows.push({
    path: 'webhook, distinct customer.subscription.updated',
    figure: rps(distinct),
    p50: distinct.p50,
    p99: distinct.p99,
    ratio: percent(distinct.requestsPerSecond, bare.hub),
    target: '≥ 40 %, each applied once',
    check: `${checked('webhook distinct', distinct)}; applied once: ${applied.ok}/${answered.size}`,
  });
}

async function transfers(stack: TBenchStack, world: TBenchWorld) {
  const bytes = SIZE_MB * 1024 * 1024;
  const source = path.join(stack.scratch, 'source.bin');
  const sha256 = await writeRandomFile(source, bytes);
  const copy = await rawCopy(source, stack.scratch);
  const upload = await inWindow(
    `encrypted upload (one of ${SIZE_MB} MB)`,
    'svd',
    () => 1,
    () => encryptedUpload(stack, { source, bytes, vaultId: world.vaultId, cookie: world.svdCookie }),
  );
  rows.push({
    path: `encrypted upload, ${SIZE_MB} MB`,
    figure: `${upload.mbPerSecond.toFixed(0)} MB/s, memory +${upload.memoryGrowthMb.toFixed(0)} MB`,
    ratio: `${percent(upload.mbPerSecond, copy.mbPerSecond)} of raw copy (${copy.mbPerSecond.toFixed(0)} MB/s)`,
    target: '≥ 50 %, memory ≤ 64 MB',
    check: 'see download',
  });
  // Read and download alternately, three of each, and the medians: the first download also loads the route's
  // code in the server (a cold start, not what a customer's download waits for), and on a shared machine one
  // transfer alone says little.
  const reads: Awaited<ReturnType<typeof rawRead>>[] = [];
  const downloads: Awaited<ReturnType<typeof encryptedDownload>>[] = [];
  for (let round = 0; round < 3; round += 1) {
    reads.push(await rawRead(source));
    downloads.push(
      await encryptedDownload(stack, { documentId: upload.documentId, cookie: world.svdCookie }),
    );
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const readRate = median(reads.map((r) => r.mbPerSecond));
  const downloadRate = median(downloads.map((d) => d.mbPerSecond));
  const intact =
    downloads.every((d) => d.sha256 === sha256 && d.bytes === bytes) &&
    reads.every((r) => r.sha256 === sha256);
  if (!intact) problems.push('transfer: the download differs from the uploaded bytes');
  rows.push({
    path: `encrypted download, ${SIZE_MB} MB`,
    figure: `${downloadRate.toFixed(0)} MB/s, first byte ${median(downloads.map((d) => d.firstByteMs)).toFixed(0)} ms (medians of 3; first bytes ${downloads.map((d) => d.firstByteMs.toFixed(0)).join(', ')} ms)`,
    ratio: `${percent(downloadRate, readRate)} of raw read (${readRate.toFixed(0)} MB/s)`,
    target: 'first byte ≤ 50 ms, ≥ 50 %',
    check: intact ? 'ok: same SHA-256 (3 of 3)' : 'FAILED: bytes differ',
  });
  await rm(source);
}

/**
 * Gzipped JavaScript a page loads: every script its HTML names, fetched and compressed as a server would. A
 * `nomodule` script (Next.js's polyfills, 38 KB gzipped) is left out: every browser that runs ES modules (all
 * that Next.js 16 supports) skips it without downloading it. Chunks the runtime adds later (a dialog's code
 * imported on a click) are not in the HTML and load only when used. "runtime" is the part every page of the
 * app shares (the build manifest's rootMainFiles: React and Next.js's client).
 */
async function javascriptPerPage(stack: TBenchStack, world: TBenchWorld) {
  const runtimeOf = async (app: 'hub' | 'svd') => {
    const manifest = JSON.parse(
      await readFile(path.join(REPO_ROOT, 'apps', app, '.next', 'build-manifest.json'), 'utf8'),
    ) as { rootMainFiles: string[] };
    return new Set(manifest.rootMainFiles.map((file) => `/_next/${file}`));
  };
  const runtime = { hub: await runtimeOf('hub'), svd: await runtimeOf('svd') };
  // The checkout page as a first-time buyer sees it (the coupon field and the checkout button): an account with
  // no subscription, signed in for this.
  const buyerEmail = world.signInEmails[0];
  const buyerCookie = buyerEmail ? await signInOverHttp(stack, buyerEmail) : world.hubCookie;
  for (const [name, app, url, cookie] of [
    ['Hub /', 'hub', `${stack.hubUrl}/`, ''],
    ['Hub /login', 'hub', `${stack.hubUrl}/login`, ''],
    ['Hub /signup', 'hub', `${stack.hubUrl}/signup`, ''],
    ['Hub /products/securevault', 'hub', `${stack.hubUrl}/products/securevault`, ''],
    ['Hub /portal', 'hub', `${stack.hubUrl}/portal`, world.hubCookie],
    ['Hub /billing', 'hub', `${stack.hubUrl}/billing`, world.hubCookie],
    ['Hub /account', 'hub', `${stack.hubUrl}/account`, world.hubCookie],
    [
      'Hub /checkout/start',
      'hub',
      `${stack.hubUrl}/checkout/start?product=securevault&plan=growth`,
      buyerCookie,
    ],
    ['SVD /vault', 'svd', `${stack.svdUrl}/vault`, world.svdCookie],
  ] as const) {
    const response = await fetch(url, { headers: { cookie }, redirect: 'manual' });
    const html = await response.text();
    const attributes = [...html.matchAll(/<script\b([^>]*)>/g)].map((match) => match[1] ?? '');
    const sources = new Set(
      attributes
        .filter((tag) => !/\snomodule\b/i.test(tag))
        .map((tag) => /\ssrc="([^"]+)"/.exec(tag)?.[1])
        .filter((src): src is string => Boolean(src)),
    );
    let gzipped = 0;
    let shared = 0;
    for (const src of sources) {
      const body = Buffer.from(await (await fetch(new URL(src.replaceAll('&amp;', '&'), url))).arrayBuffer());
      const size = gzipSync(body).length;
      gzipped += size;
      if (runtime[app].has(new URL(src.replaceAll('&amp;', '&'), url).pathname)) shared += size;
    }
    const kb = (bytes: number) => (bytes / 1024).toFixed(1);
    rows.push({
      path: `JavaScript per page (${name})`,
      figure: `${kb(gzipped)} KB gzipped (runtime ${kb(shared)} + page ${kb(gzipped - shared)}), ${sources.size} scripts`,
      target: '≤ 150 KB',
      check:
        response.status !== 200
          ? `FAILED: HTTP ${response.status}`
          : sources.size === 0
            ? 'FAILED: no scripts found'
            : gzipped <= 150 * 1024
              ? 'ok'
              : 'ok (over the target)',
    });
  }
}

function printTable() {
  const ms = (value?: number) => (value === undefined ? '' : `${value.toFixed(0)}`);
  const table = rows.map((row) => [
    row.path,
    row.figure,
    ms(row.p50),
    ms(row.p99),
    row.ratio ?? '',
    row.queries === undefined ? '' : row.queries.toFixed(1),
    row.target,
    row.check,
  ]);
  const header = ['path', 'figure', 'p50 ms', 'p99 ms', 'vs bare / raw', 'queries/req', 'target', 'check'];
  console.log(`\n| ${header.join(' | ')} |\n| ${header.map(() => '---').join(' | ')} |`);
  for (const line of table) console.log(`| ${line.join(' | ')} |`);
  const [one, five] = os.loadavg();
  console.log(
    `\n${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}, ` +
      `${CONNECTIONS} connections, ${DURATION} s per run; load average ${one?.toFixed(1)} / ${five?.toFixed(1)} at the end`,
  );
}

async function main(): Promise<number> {
  const started = Date.now();
  const profileDir = values.profile ? path.resolve(values.profile) : undefined;
  const stack = await startBenchStack({
    build: !values['no-build'],
    profileDir,
    synchronousCommit: SYNCHRONOUS_COMMIT,
    log,
  });
  if (profileDir) trackServers(stack.pids);
  const stopWaitEvents = values['wait-events'] ? enableWaitEvents(stack.urls.DATABASE_URL) : null;
  try {
    const world = await seedWorld(stack, { signInUsers: 20, subscribers: 20, log });
    log(`world seeded in ${((Date.now() - started) / 1000).toFixed(0)} s; loading…`);
    const bare = await bareRoutes(stack);
    const base = { hub: bare.hub.requestsPerSecond, svd: bare.svd.requestsPerSecond };
    if (wanted('handoff')) await handOff(stack, world, base);
    if (wanted('entitled')) await entitled(stack, world, base);
    if (wanted('ssr')) await ssrPages(stack, world, base);
    if (wanted('signin')) await passwordSignIn(stack, world);
    if (wanted('webhook')) await webhook(stack, world, base);
    if (wanted('transfer')) await transfers(stack, world);
    if (wanted('js')) await javascriptPerPage(stack, world);
    printTable();
    if (recordedWaitEvents().length > 0) {
      console.log('\nPostgreSQL client backends, share of samples by wait event (CPU = none):');
      for (const shares of recordedWaitEvents()) console.log(`- ${formatWaitEvents(shares)}`);
    }
    for (const problem of problems) console.error(`[bench] correctness: ${problem}`);
    return problems.length === 0 ? 0 : 1;
  } finally {
    await stopWaitEvents?.();
    await stack.stop();
    // The servers write their profiles as they stop; then each run's CPU per request, cut along its window.
    const recorded = recordedWindows();
    if (profileDir && recorded) {
      await writeFile(path.join(profileDir, 'windows.json'), JSON.stringify(recorded, null, 2));
      try {
        console.log(`\nCPU per request by run (${profileDir}):\n${summariseRuns(profileDir)}`);
      } catch (error) {
        console.error(`[bench] profile summary failed: ${error instanceof Error ? error.message : error}`);
      }
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
