/**
 * `npm run bench -- admin [--customers 100000] [--duration 10] [--no-build]` (issue 14): the console's customer
 * search over a year of generated customers. Starts the benchmark's throw-away world (stack.ts: production builds,
 * embedded PostgreSQL, the emulator), fills it with `npm run admin:seed-demo`'s generator, signs in a support user
 * over HTTP, then measures GET /api/admin/customers: each kind of query alone, one request at a time (the latency a
 * person at the console sees), then the whole mix with autocannon at 10 connections. p50/p99 against the
 * target p99 ≤ 100 ms. A measurement, not a test: not part of `npm test` or CI. The builds write the apps' .next
 * folders, as `npm run test:e2e` does: don't run both at once.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { seedDemoCustomers } from '../lib/demo-customers/seed-demo-customers';
import { signInBenchStaff } from './admin-world';
import { CONNECTIONS, load } from './load';
import { startBenchStack } from './stack';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== 'admin'),
  options: {
    customers: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '10' },
    'no-build': { type: 'boolean', default: false },
  },
});
const CUSTOMERS = Number(values.customers);
const DURATION = Number(values.duration);
const TARGET_P99_MS = 100;
const log = (line: string) => console.log(`[bench admin] ${line}`);

type TKind = 'email prefix' | 'partial name' | 'cus_ id' | 'sub_ id' | 'filter' | 'list, sorted';

/** Query strings of each kind, drawn from the generated customers so every search finds someone. */
async function queryMix(pool: import('pg').Pool): Promise<Record<TKind, string[]>> {
  const sample = await pool.query<{ email: string; name: string; cus: string | null; sub: string | null }>(
    `SELECT u.email, u.name, s."stripeCustomerId" AS cus, s."stripeSubscriptionId" AS sub
     FROM core."User" u LEFT JOIN hub."Subscription" s ON s."userId" = u.id
     WHERE u.id LIKE 'demo\\_%' ORDER BY md5(u.id) LIMIT 200`,
  );
  const rows = sample.rows;
  const q = (value: string) => `?q=${encodeURIComponent(value)}`;
  return {
    'email prefix': rows.slice(0, 50).map((r) => q(r.email.slice(0, 6))),
    'partial name': rows.slice(50, 100).map((r) => q((r.name.split(' ')[1] ?? r.name).slice(1, 5))),
    'cus_ id': rows.flatMap((r) => (r.cus ? [q(r.cus)] : [])).slice(0, 30),
    'sub_ id': rows.flatMap((r) => (r.sub ? [q(r.sub)] : [])).slice(0, 30),
    filter: [
      '?filter=past_due',
      '?filter=trial_ending',
      '?filter=migrated',
      '?filter=over_quota',
      '?filter=past_due,over_quota',
      '?app=app_securevault&filter=trial_ending',
      '?filter=migrated&sort=email&dir=asc',
    ],
    'list, sorted': ['', '?sort=email&dir=asc', '?sort=plan', '?page=2', '?app=app_securevault'],
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function main(): Promise<number> {
  const stack = await startBenchStack({ build: !values['no-build'], log });
  try {
    log(`generating ${CUSTOMERS} customers…`);
    const seeded = await seedDemoCustomers(stack.admin.pool, {
      count: CUSTOMERS,
      months: 12,
      now: new Date(),
      seed: 14,
      log,
    });
    // As autovacuum would after a bulk load: statistics for the planner, the visibility map for index-only scans.
    await stack.admin.pool.query('VACUUM (ANALYZE) core."User", hub."Subscription", hub."CustomerProduct"');
    log(
      `${seeded.customers} customers, ${seeded.subscriptions} subscriptions, ${seeded.svdProfiles} SVD profiles in ${(seeded.milliseconds / 1000).toFixed(1)} s`,
    );
    const cookie = await signInBenchStaff(stack, {
      email: 'bench-support@bench.example',
      name: 'Bench Support',
      role: 'support',
      reason: 'search benchmark',
    });
    const mix = await queryMix(stack.admin.pool);
    const url = (query: string) => `${stack.hubUrl}/api/admin/customers${query}`;

    const rows: string[][] = [];
    let failed = false;
    /** Each URL three times, one request at a time: what a person at the console waits for. */
    const sequential = async (label: string, urls: string[], target: boolean) => {
      const times: number[] = [];
      for (const each of urls) await fetch(each, { headers: { cookie } }).then((r) => r.arrayBuffer());
      for (let round = 0; round < 3; round += 1) {
        for (const each of urls) {
          const started = performance.now();
          const response = await fetch(each, { headers: { cookie } });
          await response.arrayBuffer();
          times.push(performance.now() - started);
          if (response.status !== 200) {
            failed = true;
            log(`${each}: HTTP ${response.status}`);
          }
        }
      }
      times.sort((a, b) => a - b);
      const p99 = percentile(times, 99);
      rows.push([
        `${label} (× 3, sequential)`,
        percentile(times, 50).toFixed(0),
        p99.toFixed(0),
        target ? (p99 <= TARGET_P99_MS ? 'meets' : 'misses') : 'baseline',
      ]);
    };
    // Baselines of the same run: the least an API route costs, and the staff guard with a small read.
    await sequential(
      'baseline: bare API route, 50 requests',
      Array(50).fill(`${stack.hubUrl}/api/bench/bare`),
      false,
    );
    await sequential(
      'baseline: GET /api/admin/audit (the staff guard + 50 audit rows), 50 requests',
      Array(50).fill(`${stack.hubUrl}/api/admin/audit`),
      false,
    );
    for (const [kind, queries] of Object.entries(mix) as [TKind, string[]][]) {
      await sequential(`${kind}, ${queries.length} queries`, queries.map(url), true);
    }
    // The whole mix under load.
    const all = Object.values(mix).flat();
    let next = 0;
    const loaded = await load({
      url: stack.hubUrl,
      duration: DURATION,
      expect: 200,
      requests: [
        {
          method: 'GET',
          setupRequest: (request) => {
            const query = all[next % all.length] ?? '';
            next += 1;
            return { ...request, path: `/api/admin/customers${query}`, headers: { cookie } };
          },
        },
      ],
    });
    if (loaded.unexpected > 0) {
      failed = true;
      log(`mixed load: ${loaded.unexpected} unexpected answers ${JSON.stringify(loaded.statuses)}`);
    }
    rows.push([
      `the mix (${all.length} queries), ${CONNECTIONS} connections, ${DURATION} s: ${loaded.requestsPerSecond.toFixed(0)} req/s`,
      loaded.p50.toFixed(0),
      loaded.p99.toFixed(0),
      loaded.p99 <= TARGET_P99_MS ? 'meets' : 'misses',
    ]);

    console.log(
      `\n| GET /api/admin/customers over ${CUSTOMERS} customers | p50 ms | p99 ms | p99 ≤ ${TARGET_P99_MS} ms |`,
    );
    console.log('| --- | --- | --- | --- |');
    for (const row of rows) console.log(`| ${row.join(' | ')} |`);
    const [one, five] = os.loadavg();
    console.log(
      `\n${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}; load average ${one?.toFixed(1)} / ${five?.toFixed(1)} at the end`,
    );
    return failed ? 1 : 0;
  } finally {
    await stack.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
