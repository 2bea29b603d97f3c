/**
 * The benchmark's throw-away world: an embedded PostgreSQL, the Stripe emulator, production builds of both apps
 * (`next build`, `next start`) on ports 3400/3401 (beside the tests' 3100/3101 and a cluster's 32xx), with the
 * benchmark's bare routes switched on (BENCH_ROUTES=1) and the Hub trusting one proxy hop, so the benchmark can
 * play many client addresses for the per-address sign-in limit.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, type TDatabaseHandle } from '@omg/db';
import { findFreePort, seedCatalog } from '@omg/db/setup';
import { startMailCatcher } from '@omg/mail/catcher';
import type { StripeEmulator } from '@omg/stripe-emulator';
import { appEnvironment } from '../lib/app-env';
import { prepareSchema, resolveDatabase, type TDatabaseUrls } from '../lib/database';
import { REPO_ROOT, withGeneratedSecrets } from '../lib/env-file';
import { NEXT_BIN, run, stopService, waitForHttp } from '../lib/processes';
import { resolveStripe } from '../lib/stripe';

export const BENCH_HUB_URL = 'http://localhost:3400';
export const BENCH_SVD_URL = 'http://localhost:3401';
/** Left in an app's .next by a profiled (readable) build; `next build` empties .next, so a normal build drops it. */
const READABLE_MARKER = 'bench-readable-build';

export interface TBenchStack {
  hubUrl: string;
  svdUrl: string;
  scratch: string;
  storageDir: string;
  urls: TDatabaseUrls;
  admin: TDatabaseHandle;
  emulator: StripeEmulator;
  webhookSecret: string;
  /** Process ids of the two `next start` servers, for their memory. */
  pids: { hub: number; svd: number };
  stop: () => Promise<void>;
}

/** Resident memory of a process and everything it started, in bytes (from /proc). */
export function treeRssBytes(rootPid: number): number {
  const parents = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      const kb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      parents.set(Number(entry), ppid);
      rss.set(Number(entry), kb * 1024);
    } catch {
      // exited meanwhile
    }
  }
  const inTree = (pid: number): boolean => {
    for (let current = pid, hops = 0; current > 1 && hops < 64; hops += 1) {
      if (current === rootPid) return true;
      current = parents.get(current) ?? 0;
    }
    return false;
  };
  let total = 0;
  for (const [pid, bytes] of rss) if (inTree(pid)) total += bytes;
  return total;
}

export async function startBenchStack(options: {
  build: boolean;
  /** Where each server writes a V8 CPU profile when it stops (`--cpu-prof`), for `npm run bench -- --profile`. */
  profileDir?: string;
  /**
   * An experiment only (`--synchronous-commit off`): the embedded server's synchronous_commit, set before the apps
   * connect, to show what waiting for the commit's WAL flush costs. Production never sets it.
   */
  synchronousCommit?: 'on' | 'off';
  log: (line: string) => void;
}): Promise<TBenchStack> {
  const { log } = options;
  const secrets = withGeneratedSecrets({});
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'omg-bench-'));
  const storageDir = path.join(scratch, 'storage');
  const stops: Array<() => Promise<unknown>> = [() => rm(scratch, { recursive: true, force: true })];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
  };
  try {
    // Never the developer's database, whatever the shell says: the benchmark writes thousands of rows.
    const env = { ...process.env };
    for (const key of ['DATABASE_URL', 'HUB_DATABASE_URL', 'SVD_DATABASE_URL']) delete env[key];
    const target = await resolveDatabase({
      env,
      secrets,
      embedded: { dataDir: path.join(scratch, 'postgres'), port: await findFreePort(), ephemeral: true },
      log,
    });
    stops.push(async () => target.embedded?.stop());
    await prepareSchema(target.urls);
    const admin = createDatabase(target.urls.DATABASE_URL, { max: 4 });
    stops.push(() => admin.pool.end());
    if (options.synchronousCommit) {
      // ALTER SYSTEM cannot take a bind parameter; the value is one of two literals.
      await admin.pool.query(`alter system set synchronous_commit = ${options.synchronousCommit}`);
      await admin.pool.query('select pg_reload_conf()');
      // The reload reaches backends asynchronously; a new session reads the new file.
      const check = createDatabase(target.urls.DATABASE_URL, { max: 1 });
      const shown = await check.pool.query('show synchronous_commit');
      await check.pool.end();
      log(
        `synchronous_commit = ${String(shown.rows[0]?.synchronous_commit)} (experiment, --synchronous-commit)`,
      );
    }
    const appEnv = appEnvironment({
      secrets,
      urls: target.urls,
      hubUrl: BENCH_HUB_URL,
      svdUrl: BENCH_SVD_URL,
      nodeEnv: 'production',
      storageDir,
    });
    Object.assign(appEnv, { HUB_URL: BENCH_HUB_URL, SVD_URL: BENCH_SVD_URL, STORAGE_DIR: storageDir });
    await seedCatalog(admin.db, appEnv);
    // Production refuses to start without SMTP: a real catcher takes the mail the seeding causes.
    const catcher = await startMailCatcher();
    stops.push(() => catcher.close());
    Object.assign(appEnv, { SMTP_URL: catcher.smtpUrl });
    const webhookSecret = `whsec_${secrets.SSO_SECRET}`;
    const payments = await resolveStripe({
      dataDir: null,
      port: 0,
      emulatorOnly: true,
      hubDatabaseUrl: target.urls.HUB_DATABASE_URL,
      webhook: { url: `${BENCH_HUB_URL}/api/webhooks/stripe`, secret: webhookSecret },
    });
    const emulator = payments.emulator;
    if (!emulator) throw new Error('the benchmark needs the Stripe emulator');
    stops.push(() => emulator.close());
    Object.assign(appEnv, payments.env, { STRIPE_WEBHOOK_SECRET: webhookSecret });
    // A profiled run builds the server code unminified (next.config.ts reads BENCH_READABLE_BUILD), so the profile
    // names our functions; a marker in .next says which kind a later `--no-build` run reuses.
    const readable = Boolean(options.profileDir);
    for (const app of ['hub', 'svd']) {
      const marker = path.join(REPO_ROOT, 'apps', app, '.next', READABLE_MARKER);
      if (!options.build) {
        if (existsSync(marker) !== readable)
          log(`note: reusing ${app}'s ${readable ? 'minified' : 'readable (unminified server)'} build`);
        continue;
      }
      log(`building ${app} (next build${readable ? ', server code unminified for the profile' : ''})…`);
      const buildEnv = readable ? { ...appEnv, BENCH_READABLE_BUILD: '1' } : appEnv;
      const code = await run(NEXT_BIN, ['build'], buildEnv, path.join(REPO_ROOT, 'apps', app));
      if (code !== 0) throw new Error(`next build of ${app} failed (${code})`);
      if (readable) await writeFile(marker, 'BENCH_READABLE_BUILD=1\n');
    }
    const serverEnv: NodeJS.ProcessEnv = { ...appEnv, BENCH_ROUTES: '1', TRUSTED_PROXY_HOPS: '1' };
    const servers: Record<'hub' | 'svd', ChildProcess> = {
      hub: startNext('hub', 3400, serverEnv, scratch, options.profileDir),
      svd: startNext('svd', 3401, serverEnv, scratch, options.profileDir),
    };
    // A profiled server writes its profile as it exits (tens of MB after a whole run): give it time.
    const grace = options.profileDir ? 120_000 : 5_000;
    stops.push(() => stopService(servers.hub, grace));
    stops.push(() => stopService(servers.svd, grace));
    for (const [app, url] of [
      ['hub', BENCH_HUB_URL],
      ['svd', BENCH_SVD_URL],
    ] as const) {
      await waitForHttp(`${url}/api/health`, 90_000, () => servers[app].exitCode === null).catch(
        async (error) => {
          const output = await readFile(path.join(scratch, `${app}.log`), 'utf8').catch(() => '');
          throw new Error(`${error instanceof Error ? error.message : error}\n${output.slice(-3000)}`);
        },
      );
    }
    log('both apps answer (next start)');
    return {
      hubUrl: BENCH_HUB_URL,
      svdUrl: BENCH_SVD_URL,
      scratch,
      storageDir,
      urls: target.urls,
      admin,
      emulator,
      webhookSecret,
      pids: { hub: servers.hub.pid ?? 0, svd: servers.svd.pid ?? 0 },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** `next start` with its output in the scratch folder: request logs would drown the table (and cost a pipe). */
function startNext(
  app: string,
  port: number,
  env: NodeJS.ProcessEnv,
  scratch: string,
  profileDir?: string,
): ChildProcess {
  const logFile = path.join(scratch, `${app}.log`);
  // Node refuses --cpu-prof in NODE_OPTIONS: the server is started by node itself then.
  const node = profileDir ? `node --cpu-prof --cpu-prof-dir="${profileDir}" ` : '';
  const child = spawn('sh', ['-c', `exec ${node}"${NEXT_BIN}" start --port ${port} >>"${logFile}" 2>&1`], {
    cwd: path.join(REPO_ROOT, 'apps', app),
    env,
    stdio: 'ignore',
    detached: true,
  });
  return child;
}
