import { readdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { schema } from '@omg/db';
import { seedCatalog } from '@omg/db/setup';
import { startStoppableDatabase, type TStoppableDatabase, uniqueEmail } from '@omg/db/testing';
import { enqueueEmail, prepareMailQueue, startMailWorker, type TMailWorker } from '@omg/mail';
import { startMailCatcher, type TMailCatcher } from '@omg/mail/catcher';
import { isDatabaseUnavailable } from '@omg/platform';
import { serveOverHttp, type TServedOverHttp } from '@omg/platform/testing/serve-over-http';
import type { StripeEmulator } from '@omg/stripe-emulator';
import { eq, sql } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The database-down drill (issue 12 §5) for the Hub: a PostgreSQL of this file's own, stopped while the Hub's
 * real route handlers serve over a real HTTP socket through the Hub's one pool, and a mail worker runs beside it.
 * Every route answers a clear 503 within 5 s — whether the server is gone (connections refused) or its host
 * accepts connections and never answers — a write cut off mid-transaction leaves nothing, and when the same
 * server returns on the same port the same pool and the same worker carry on, with no restart.
 */

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const WEBHOOK_SECRET = 'whsec_database_outage_drill';
const APP_DIR = path.resolve(import.meta.dirname, '../..');
/** The drill's bound: a request that takes longer than this counts as hanging. */
const ANSWER_WITHIN_MS = 5_000;

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
  body?: string;
  headers?: Record<string, string>;
}

/** Bodies each route accepts, so a route that reads its body first still reaches the database. */
const BODIES: Record<string, unknown> = {
  '/api/account/claim': { token: 'A'.repeat(43), password: 'a-good-password-12' },
  '/api/admin/confirm': { password: 'not-the-password-1' },
  '/api/auth/sign-in/email': { email: 'nobody@example.test', password: 'not-the-password-1' },
  '/api/coupons/validate': { code: 'WELCOME20', productId: 'app_securevault', plan: 'growth' },
  '/api/sales-inquiries': {
    productId: 'app_securevault',
    name: 'Outage Drill',
    email: 'outage@example.test',
    company: 'Drill Co',
    seats: 50,
    message: 'Tell me more.',
  },
  '/api/product-interest': { productId: 'app_crm', email: 'outage@example.test' },
};

/**
 * Routes that answer without the database, and what they answer: liveness says the process is up (a supervisor
 * must not restart the Hub because the database is away), and the benchmark's routes touch nothing (404 unless
 * the benchmark turned them on with BENCH_ROUTES=1).
 */
function answersWithoutDatabase(call: TCall): number | null {
  if (call.path === '/api/health/live') return 200;
  if (/^(\/api)?\/bench\//.test(call.path)) return process.env.BENCH_ROUTES === '1' ? 200 : 404;
  return null;
}

let drill: TStoppableDatabase;
let emulator: StripeEmulator;
let catcher: TMailCatcher;
let worker: TMailWorker;
let server: TServedOverHttp;
let cookie: string;
let calls: TCall[] = [];
const savedEnv = { ...process.env };
const workerLog: string[] = [];

/** Every route handler file of the Hub, each exported method, with path parameters filled in. */
async function discoverCalls(): Promise<TCall[]> {
  const files = (await readdir(APP_DIR, { recursive: true }))
    .filter((file) => file.endsWith('route.ts'))
    .sort();
  const found: TCall[] = [];
  for (const file of files) {
    const module = (await import(/* @vite-ignore */ path.join(APP_DIR, file))) as Record<string, unknown>;
    const dir = path.dirname(file);
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      if (typeof module[method] !== 'function') continue;
      const handler = module[method] as THandler;
      const params: Record<string, unknown> = {};
      const segments = dir.split(path.sep).flatMap((segment) => {
        if (segment === '[...all]') {
          const all = method === 'GET' ? ['get-session'] : ['sign-in', 'email'];
          params.all = all;
          return all;
        }
        const dynamic = /^\[(.+)\]$/.exec(segment)?.[1];
        if (!dynamic) return [segment];
        params[dynamic] = dynamic === 'slug' ? 'securevault' : '00000000-0000-4000-8000-000000000000';
        return [String(params[dynamic])];
      });
      const routePath = `/${segments.join('/')}`;
      const call: TCall = { name: `${method} ${routePath}`, path: routePath, method, handler, params };
      if (method !== 'GET') {
        call.body = JSON.stringify(BODIES[routePath] ?? {});
        call.headers = { 'content-type': 'application/json' };
      }
      if (routePath === '/api/webhooks/stripe') {
        // Correctly signed, so the event reaches the point of being recorded: Stripe must get a 5xx and retry.
        call.body = JSON.stringify({
          id: 'evt_outage_drill',
          object: 'event',
          type: 'customer.subscription.updated',
          data: { object: { id: 'sub_outage_drill', object: 'subscription' } },
          created: Math.floor(Date.now() / 1000),
          livemode: false,
          api_version: '2025-01-01',
        });
        call.headers = {
          'content-type': 'application/json',
          'stripe-signature': Stripe.webhooks.generateTestHeaderString({
            payload: call.body,
            secret: WEBHOOK_SECRET,
          }),
        };
      }
      found.push(call);
    }
  }
  return found;
}

async function send(call: TCall): Promise<{ status: number; body: unknown; ms: number }> {
  const started = Date.now();
  const response = await fetch(`${server.url}${call.path}`, {
    method: call.method,
    headers: { cookie, origin: HUB, ...call.headers },
    body: call.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, body, ms: Date.now() - started };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Every call at once while the database is away: each answers 503 UNAVAILABLE (or its no-database answer). */
async function expectEveryRouteUnavailable() {
  const results = await Promise.all(calls.map(async (call) => ({ call, ...(await send(call)) })));
  for (const { call, status, body, ms } of results) {
    expect.soft(ms, `${call.name} took ${ms} ms`).toBeLessThan(ANSWER_WITHIN_MS);
    if (call.path === '/api/health') {
      // Readiness: the balancer takes the instance out of rotation (every instance, while the database is away).
      expect.soft({ status, body }, call.name).toEqual({
        status: 503,
        body: { service: 'hub', status: 'degraded', database: 'unreachable' },
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
  drill = await startStoppableDatabase({ prepare: (adminUrl) => prepareMailQueue(adminUrl) });
  // The Hub reads its environment once, on first use: point it at the drill's server before anything loads.
  Object.assign(process.env, drill.urls, { STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET });
  const { startBillingTestEnv, signUpHubUser } = await import('@/testing/billing-test-env');
  ({ emulator } = await startBillingTestEnv('sk_test_database_outage'));
  const { database } = await import('@/lib/db');
  expect(database().pool.options.connectionString).toBe(drill.urls.HUB_DATABASE_URL);
  await seedCatalog(database().db, process.env);
  ({ cookie } = await signUpHubUser('outage'));

  catcher = await startMailCatcher();
  worker = await startMailWorker({
    databaseUrl: drill.urls.HUB_DATABASE_URL,
    smtpUrl: catcher.smtpUrl,
    pollingIntervalSeconds: 0.5,
    log: (line) => workerLog.push(line),
  });

  calls = await discoverCalls();
  const byPath = new Map(calls.map((call) => [`${call.method} ${call.path}`, call]));
  server = await serveOverHttp(
    async (request) => {
      const call = byPath.get(`${request.method} ${new URL(request.url).pathname}`);
      if (!call) return new Response('no such route in this drill', { status: 404 });
      return call.handler(request, { params: Promise.resolve(call.params) });
    },
    { hops: 0, origin: HUB },
  );
}, 120_000);

afterAll(async () => {
  await server?.close();
  await worker?.stop();
  await catcher?.close();
  await emulator?.close();
  const { database } = await import('@/lib/db');
  await database().pool.end();
  await drill?.close();
  process.env = savedEnv;
});

describe('the Hub while PostgreSQL is away, and after it returns', () => {
  it('serves normally first: the walk covers every route, signed in', async () => {
    expect(calls.length).toBeGreaterThan(20);
    expect((await send(calls.find((c) => c.path === '/api/health') as TCall)).status).toBe(200);
    const sessions = await send(calls.find((c) => c.name === 'GET /api/account/sessions') as TCall);
    expect(sessions.status).toBe(200);
  });

  it('a multi-step write cut off by the shutdown leaves nothing behind', async () => {
    const { db } = await import('@/lib/db');
    const to = uniqueEmail('half-written');
    // The outbox row and its pg-boss job are written in one transaction; the server goes away between them.
    const write = db().transaction(async (tx) => {
      await enqueueEmail(tx, {
        kind: 'test',
        from: 'a@example.test',
        to,
        subject: 'x',
        html: 'x',
        text: 'x',
      });
      await drill.stop();
      await tx.execute(sql`SELECT 1`);
    });
    const error = await write.then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(isDatabaseUnavailable(error)).toBe(true);
    await drill.start();
    expect(await db().select().from(schema.outgoingEmail).where(eq(schema.outgoingEmail.to, to))).toEqual([]);
    const { database } = await import('@/lib/db');
    const jobs = await database().pool.query(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE data->>'outgoingEmailId' NOT IN (SELECT id FROM hub."OutgoingEmail")`,
    );
    expect(jobs.rows[0].n).toBe(0);
  }, 60_000);

  it('a query in flight when the server stops fails at once as unavailable', async () => {
    const { database } = await import('@/lib/db');
    const started = Date.now();
    const sleeping = database()
      .pool.query('SELECT pg_sleep(30)')
      .then(
        () => null,
        (thrown: unknown) => thrown,
      );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await drill.stop();
    const error = await sleeping;
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(Date.now() - started).toBeLessThan(ANSWER_WITHIN_MS);
  }, 30_000);

  it('every route answers 503 within 5 s while the server is stopped (connections refused)', async () => {
    await expectEveryRouteUnavailable();
  }, 60_000);

  it('every route answers 503 within 5 s while the host accepts connections and never answers', async () => {
    // A black hole on the database's port: a hung host or a dropped network path, the case timeouts are for.
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

  it('recovers by itself when the server returns on the same port: same pool, same worker, no restart', async () => {
    const { database } = await import('@/lib/db');
    const pool = database().pool;
    await drill.start();
    expect(database().pool).toBe(pool);
    const health = await waitFor(async () => {
      const answer = await send(calls.find((c) => c.path === '/api/health') as TCall);
      return answer.status === 200 ? answer : undefined;
    });
    expect(health.body).toMatchObject({ database: 'reachable' });
    const sessions = await send(calls.find((c) => c.name === 'GET /api/account/sessions') as TCall);
    expect(sessions.status).toBe(200);

    // The worker that lived through the outage picks up mail queued after it.
    const to = uniqueEmail('after-outage');
    const { db } = await import('@/lib/db');
    const id = await db().transaction((tx) =>
      enqueueEmail(tx, {
        kind: 'test',
        from: 'OMG System <no-reply@example.test>',
        to,
        subject: 'After the outage',
        html: '<p>Back</p>',
        text: 'Back',
      }),
    );
    const sent = await waitFor(async () => {
      const [row] = await db().select().from(schema.outgoingEmail).where(eq(schema.outgoingEmail.id, id));
      return row?.status === 'sent' ? row : undefined;
    }, 45_000);
    expect(sent.attempts).toBe(1);
    expect(catcher.messages().filter((m) => m.to.includes(to))).toHaveLength(1);
  }, 90_000);
});
