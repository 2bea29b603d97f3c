import { mkdtemp, readdir, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createLaunchState, issueLaunchToken } from '@omg/contract';
import { seedCatalog } from '@omg/db/setup';
import { startStoppableDatabase, type TStoppableDatabase } from '@omg/db/testing';
import { prepareMailQueue } from '@omg/mail';
import { serveOverHttp, type TServedOverHttp } from '@omg/platform/testing/serve-over-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TIndexWorker } from '@/lib/documents/index-worker';
import { settledDocument } from '@/testing/index-queue';

/**
 * The database-down drill (issue 12 §5) for SecureVault Docs: a PostgreSQL of this file's own, stopped while SVD's
 * real route handlers serve over a real HTTP socket through SVD's one pool and an indexing worker runs beside them.
 * Every route answers a clear 503 within 5 s — the server gone, or its host accepting connections and never
 * answering — and when the same server returns on the same port the same pool serves the same session again and
 * the same worker indexes the next upload, with no restart.
 */

const SVD = process.env.SVD_URL ?? 'http://localhost:3101';
const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const APP_DIR = path.resolve(import.meta.dirname, '../..');
const ANSWER_WITHIN_MS = 5_000;
const STATE = createLaunchState();

type THandler = (
  request: Request,
  context: { params: Promise<Record<string, unknown>> },
) => Promise<Response>;
interface TCall {
  name: string;
  path: string;
  method: string;
  handler: THandler;
  params: Record<string, unknown>;
  body?: BodyInit;
  headers?: Record<string, string>;
}

/**
 * Routes that answer without the database, and what they answer: liveness; /login/start only sets this
 * browser's binding cookie and sends it to the Hub; the benchmark's routes (404 unless BENCH_ROUTES=1).
 */
function answersWithoutDatabase(call: TCall): number | null {
  if (call.path === '/api/health/live') return 200;
  if (call.path === '/login/start') return 303;
  if (/^(\/api)?\/bench\//.test(call.path)) return process.env.BENCH_ROUTES === '1' ? 200 : 404;
  return null;
}

let drill: TStoppableDatabase;
let server: TServedOverHttp;
let storageDir: string;
let cookie: string;
let indexWorker: TIndexWorker;
let launch: { userId: string; email: string; sid: string };
let calls: TCall[] = [];
const savedEnv = { ...process.env };

async function discoverCalls(): Promise<TCall[]> {
  const files = (await readdir(APP_DIR, { recursive: true })).filter((f) => f.endsWith('route.ts')).sort();
  const found: TCall[] = [];
  for (const file of files) {
    const module = (await import(/* @vite-ignore */ path.join(APP_DIR, file))) as Record<string, unknown>;
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      if (typeof module[method] !== 'function') continue;
      const handler = module[method] as THandler;
      const params: Record<string, unknown> = {};
      const segments = path
        .dirname(file)
        .split(path.sep)
        .map((segment) => {
          const dynamic = /^\[(.+)\]$/.exec(segment)?.[1];
          if (!dynamic) return segment;
          params[dynamic] = '00000000-0000-4000-8000-000000000000';
          return String(params[dynamic]);
        });
      const routePath = `/${segments.join('/')}`;
      const call: TCall = { name: `${method} ${routePath}`, path: routePath, method, handler, params };
      if (method !== 'GET') {
        call.body = JSON.stringify(routePath === '/api/vaults' ? { name: 'Outage' } : { name: 'Renamed' });
        call.headers = { 'content-type': 'application/json' };
      }
      if (routePath === '/api/documents/bulk/download') {
        // A form post (the browser downloads the ZIP as a file): the drill sends the form it takes.
        call.body = new URLSearchParams({ ids: '00000000-0000-4000-8000-000000000000' }).toString();
        call.headers = { 'content-type': 'application/x-www-form-urlencoded' };
      }
      if (routePath === '/api/uploads') {
        call.body = 'a small document';
        call.headers = { 'content-type': 'text/plain', 'x-file-name': 'outage.txt' };
      }
      found.push(call);
    }
  }
  return found;
}

/** The Hub's hand-off for the drill's user, bound to this browser: a real sign-in needs the database. */
async function loginForm(): Promise<{ body: string; headers: Record<string, string> }> {
  const { token } = await issueLaunchToken({
    secret: process.env.SSO_SECRET ?? '',
    issuer: HUB,
    audience: 'app_securevault',
    user: { id: launch.userId, email: launch.email, name: 'Outage Drill', accountType: 'personal' },
    sessionId: launch.sid,
    nonce: STATE,
  });
  return {
    body: new URLSearchParams({ token }).toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: `svd_launch=${STATE}; ${cookie}`,
    },
  };
}

async function send(call: TCall): Promise<{ status: number; body: unknown; ms: number }> {
  const started = Date.now();
  let { body, headers } = call;
  let target = call.path;
  if (call.name === 'POST /login') ({ body, headers } = await loginForm());
  if (call.name === 'GET /login') {
    // The same hand-off as a link (the Hub's fallback when it cannot post): signs in just the same.
    const form = await loginForm();
    target = `/login?${form.body}`;
    headers = { cookie: form.headers.cookie ?? '' };
  }
  if (call.name === 'POST /logout')
    headers = { 'content-type': 'application/x-www-form-urlencoded', cookie: `${cookie}` };
  const response = await fetch(`${server.url}${target}`, {
    method: call.method,
    headers: { cookie, origin: call.path === '/login' ? HUB : SVD, ...headers },
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: response.status, body: parsed, ms: Date.now() - started };
}

async function expectEveryRouteUnavailable() {
  const results = await Promise.all(calls.map(async (call) => ({ call, ...(await send(call)) })));
  for (const { call, status, body, ms } of results) {
    expect.soft(ms, `${call.name} took ${ms} ms`).toBeLessThan(ANSWER_WITHIN_MS);
    if (call.path === '/api/health') {
      expect.soft({ status, body }, call.name).toEqual({
        status: 503,
        body: { service: 'svd', status: 'degraded', database: 'unreachable' },
      });
      continue;
    }
    const without = answersWithoutDatabase(call);
    if (without !== null) {
      expect.soft(status, call.name).toBe(without);
      continue;
    }
    expect.soft({ route: call.name, status, body }).toEqual({
      route: call.name,
      status: 503,
      body: {
        error: {
          code: 'UNAVAILABLE',
          message: 'The service is temporarily unavailable. Please try again shortly.',
        },
      },
    });
  }
}

beforeAll(async () => {
  const { prepareIndexQueue } = await import('@/lib/documents/prepare-index-queue');
  drill = await startStoppableDatabase({
    prepare: async (adminUrl) => {
      await prepareMailQueue(adminUrl);
      await prepareIndexQueue(adminUrl);
    },
  });
  storageDir = await mkdtemp(path.join(os.tmpdir(), 'omg-outage-storage-'));
  // SVD reads its environment once, on first use: point it at the drill's server before anything loads.
  Object.assign(process.env, drill.urls, { STORAGE_DIR: storageDir });
  const { database } = await import('@/lib/db');
  expect(database().pool.options.connectionString).toBe(drill.urls.SVD_DATABASE_URL);
  const { connectAs } = await import('@omg/db/testing');
  const hub = connectAs('hub');
  try {
    await seedCatalog(hub.db, process.env);
  } finally {
    await hub.pool.end();
  }
  const { launchedUser } = await import('./vault-fixtures');
  const user = await launchedUser();
  cookie = user.cookie;
  const fixtures = await import('./vault-fixtures');
  const [row] = (
    await fixtures.hub.pool.query<{ email: string; sid: string }>(
      `SELECT u.email, s.id AS sid FROM core."User" u JOIN core."Session" s ON s."userId" = u.id WHERE u.id = $1`,
      [user.userId],
    )
  ).rows;
  launch = { userId: user.userId, email: row?.email ?? '', sid: row?.sid ?? '' };
  await fixtures.provision(user.userId, 'growth');

  const { startIndexWorker } = await import('@/lib/documents/index-worker');
  const { logger } = await import('@/lib/logger');
  indexWorker = await startIndexWorker({
    databaseUrl: drill.urls.SVD_DATABASE_URL,
    concurrency: 1,
    pollingIntervalSeconds: 0.5,
    log: logger,
  });

  calls = await discoverCalls();
  const byPath = new Map(calls.map((call) => [`${call.method} ${call.path}`, call]));
  server = await serveOverHttp(
    async (request) => {
      const call = byPath.get(`${request.method} ${new URL(request.url).pathname}`);
      if (!call) return new Response('no such route in this drill', { status: 404 });
      return call.handler(request, { params: Promise.resolve(call.params) });
    },
    { hops: 0, origin: SVD },
  );
}, 120_000);

afterAll(async () => {
  await server?.close();
  await indexWorker?.stop();
  const fixtures = await import('./vault-fixtures');
  await Promise.all([fixtures.admin.pool.end(), fixtures.hub.pool.end(), fixtures.svd.pool.end()]);
  const { database } = await import('@/lib/db');
  await database().pool.end();
  await drill?.close();
  if (storageDir) await rm(storageDir, { recursive: true, force: true });
  process.env = savedEnv;
});

describe('SecureVault Docs while PostgreSQL is away, and after it returns', () => {
  it('serves normally first, signed in', async () => {
    expect(calls.length).toBeGreaterThan(10);
    expect((await send(calls.find((c) => c.path === '/api/health') as TCall)).status).toBe(200);
    expect((await send(calls.find((c) => c.name === 'GET /api/vaults') as TCall)).status).toBe(200);
  });

  it('every route answers 503 within 5 s while the server is stopped (connections refused)', async () => {
    await drill.stop();
    await expectEveryRouteUnavailable();
  }, 60_000);

  it('every route answers 503 within 5 s while the host accepts connections and never answers', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(drill.port, '127.0.0.1', resolve));
    try {
      await expectEveryRouteUnavailable();
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  }, 60_000);

  it('recovers by itself when the server returns on the same port: same pool, same session, same worker', async () => {
    const { database } = await import('@/lib/db');
    const pool = database().pool;
    await drill.start();
    const health = await (async () => {
      for (let attempt = 0; attempt < 40; attempt++) {
        const answer = await send(calls.find((c) => c.path === '/api/health') as TCall);
        if (answer.status === 200) return answer;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error('SVD did not become ready again');
    })();
    expect(health.body).toMatchObject({ database: 'reachable' });
    expect(database().pool).toBe(pool);
    const vaults = await send(calls.find((c) => c.name === 'GET /api/vaults') as TCall);
    expect(vaults.status).toBe(200);

    // An upload after the outage is indexed by the worker that lived through it, and found by search.
    const vaultId = ((vaults.body as { vaults: { id: string }[] }).vaults[0] as { id: string }).id;
    const text = 'quarterly outage drill report';
    const uploaded = await fetch(
      `${server.url}/api/uploads?vaultId=${vaultId}&name=${encodeURIComponent('after-outage.txt')}`,
      {
        method: 'POST',
        headers: { cookie, origin: SVD, 'content-type': 'text/plain', 'content-length': String(text.length) },
        body: text,
      },
    );
    expect(uploaded.status).toBe(201);
    const { document } = (await uploaded.json()) as { document: { id: string } };
    const settled = await settledDocument(database().db, document.id);
    expect(settled.indexStatus).toBe('indexed');
  }, 90_000);
});
