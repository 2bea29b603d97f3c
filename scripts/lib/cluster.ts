/**
 * Several production instances of each app behind one nginx (round-robin), as production runs them: the code
 * `npm run cluster` and the browser suite's cluster stage share. Every instance is `next start` of the one build in
 * apps/<app>/.next, on its own loopback port, with the same environment; only nginx listens on the public ports.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { isPortFree } from '@omg/db/setup';
import {
  assertNginxInstalled,
  countRequestsPerInstance,
  NGINX_BIN,
  renderNginxConfig,
  type TBalancedApp,
  type TClusterInstance,
} from './cluster-nginx';
import { REPO_ROOT } from './env-file';
import { NEXT_BIN, startService, stopService, waitForHttp } from './processes';

export type { TClusterInstance } from './cluster-nginx';

export interface TClusterPorts {
  hub: number;
  svd: number;
  /** The instances of app k use ports first + 10·(k+1) + i: with 3200 the Hub's are 3210, 3211 …, SVD's 3220 … */
  first: number;
}

/** Public ports 3200 (Hub) and 3201 (SVD), instances from 3210: clear of dev (3000/3001) and the suite (3100/3101). */
export const CLUSTER_PORTS: TClusterPorts = { hub: 3200, svd: 3201, first: 3200 };

export interface TCluster {
  hubUrl: string;
  svdUrl: string;
  instances: TClusterInstance[];
  accessLog: string;
  /** Requests each instance answered so far, from the balancer's access log. */
  requestsPerInstance(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

function ipv6LoopbackAvailable(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(0, '::1', () => probe.close(() => resolve(true)));
  });
}

/**
 * A process whose output goes to the terminal prefixed with its name, or (quiet) whose stdout — one JSON line per
 * request — goes to `<name>.log` in the run's folder while errors still reach the terminal.
 */
async function startLogged(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  quietDir: string | null,
): Promise<ChildProcess> {
  if (!quietDir) return startService(name, command, args, env, cwd);
  const file = await open(path.join(quietDir, `${name}.log`), 'a');
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', file.fd, 'pipe'], detached: true });
  child.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n'))
      if (line) process.stderr.write(`[${name}] ${line}\n`);
  });
  child.once('exit', () => void file.close());
  return child;
}

/**
 * Starts `instances` production instances of the Hub and of SVD (builds must exist) and nginx in front of them.
 * `env` is the apps' environment; HUB_URL and SVD_URL become the balancer's public origins and TRUSTED_PROXY_HOPS
 * 1 (nginx appends the client's address to X-Forwarded-For). Each instance gets INSTANCE_NAME (hub-1 …), which
 * its log lines carry. nginx's config, pid, logs and buffers live in a temp folder that `stop()` removes.
 */
export async function startCluster(options: {
  env: NodeJS.ProcessEnv;
  instances?: number;
  ports?: TClusterPorts;
  /** The apps' request lines go to files in the run's folder instead of the terminal. */
  quiet?: boolean;
  log: (line: string) => void;
}): Promise<TCluster> {
  assertNginxInstalled();
  const count = options.instances ?? 2;
  const ports = options.ports ?? CLUSTER_PORTS;
  const hubUrl = `http://localhost:${ports.hub}`;
  const svdUrl = `http://localhost:${ports.svd}`;
  const apps: TBalancedApp[] = (['hub', 'svd'] as const).map((app, k) => ({
    app,
    port: ports[app],
    instances: Array.from({ length: count }, (_, i) => {
      const port = ports.first + 10 * (k + 1) + i;
      return { name: `${app}-${i + 1}`, app, port, url: `http://127.0.0.1:${port}` };
    }),
  }));
  const instances = apps.flatMap((a) => a.instances);
  const taken = [];
  for (const port of [ports.hub, ports.svd, ...instances.map((i) => i.port)]) {
    if (!(await isPortFree(port))) taken.push(port);
  }
  if (taken.length > 0) {
    throw new Error(`Port(s) ${taken.join(', ')} in use: is another cluster running? Stop it first.`);
  }
  const env: NodeJS.ProcessEnv = {
    ...options.env,
    NODE_ENV: 'production',
    HUB_URL: hubUrl,
    SVD_URL: svdUrl,
    TRUSTED_PROXY_HOPS: '1',
  };

  // Its own folder right under the system's temp folder: nginx's workers drop root for `nobody`, who must be able
  // to reach the buffer folders inside (a folder in another run's private scratch folder would be closed to them).
  const dir = await mkdtemp(path.join(os.tmpdir(), 'omg-cluster-'));
  await chmod(dir, 0o755);
  const quietDir = options.quiet ? dir : null;
  const config = path.join(dir, 'nginx.conf');
  await writeFile(config, renderNginxConfig({ dir, apps, ipv6: await ipv6LoopbackAvailable() }));

  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map(stopService));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const instance of instances) {
      children.push(
        await startLogged(
          instance.name,
          NEXT_BIN,
          ['start', '--port', String(instance.port), '--hostname', '127.0.0.1'],
          { ...env, INSTANCE_NAME: instance.name },
          path.join(REPO_ROOT, 'apps', instance.app),
          quietDir,
        ),
      );
    }
    children.push(await startLogged('nginx', NGINX_BIN, ['-c', config, '-p', dir], env, dir, quietDir));
    const alive = (child: ChildProcess) => () => child.exitCode === null && child.signalCode === null;
    await Promise.all(
      instances.map((instance, i) =>
        waitForHttp(`${instance.url}/api/health`, 120_000, alive(children[i] as ChildProcess)),
      ),
    );
    const nginx = children.at(-1) as ChildProcess;
    await Promise.all([
      waitForHttp(`${hubUrl}/api/health`, 30_000, alive(nginx)),
      waitForHttp(`${svdUrl}/api/health`, 30_000, alive(nginx)),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  const accessLog = path.join(dir, 'access.log');
  options.log(
    `nginx on ${hubUrl} → ${apps[0]?.instances.map((i) => i.port).join(', ')}; ${svdUrl} → ${apps[1]?.instances.map((i) => i.port).join(', ')}`,
  );
  return {
    hubUrl,
    svdUrl,
    instances,
    accessLog,
    requestsPerInstance: async () => countRequestsPerInstance(await readFile(accessLog, 'utf8')),
    stop,
  };
}
