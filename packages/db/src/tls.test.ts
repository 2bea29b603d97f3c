import { execFileSync } from 'node:child_process';
import { chmod, chown, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from './client';
import { findFreePort, startEmbeddedPostgres, type TEmbeddedPostgres } from './embedded';
import { migrateDatabase } from './migrate';
import { applyRoleGrants, urlWithCredentials } from './roles';

// A real PostgreSQL serving TLS with a certificate made here (a throw-away CA and a server certificate for
// 127.0.0.1/localhost), and refusing unencrypted connections (pg_hba: hostssl only), as production should.
let scratch: string;
let server: TEmbeddedPostgres | undefined;
let adminUrl: string;
let caFile: string;
const password = 'tls-test-password';

function openssl(args: string[], cwd: string) {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

/** `url` with these query options added (the way an operator writes them into DATABASE_URL). */
function withOptions(url: string, options: Record<string, string>): string {
  const parsed = new URL(url);
  for (const [name, value] of Object.entries(options)) parsed.searchParams.set(name, value);
  return parsed.toString();
}

async function sslInUse(url: string): Promise<boolean> {
  const { pool } = createDatabase(url, { max: 1 });
  try {
    const result = await pool.query<{ ssl: boolean }>(
      'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
    );
    return result.rows[0]?.ssl ?? false;
  } finally {
    await pool.end();
  }
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'omg-tls-'));
  // The server runs as its own OS user (when we are root), which must be able to walk to its data folder.
  await chmod(scratch, 0o755);
  const dataDir = path.join(scratch, 'cluster', 'data');
  const port = await findFreePort();
  const settings = { dataDir, port, password, database: 'omg_tls' };
  // First start initialises the data folder (owned by the server's OS user); the certificate goes in there.
  await (await startEmbeddedPostgres(settings)).stop();

  const certs = path.join(scratch, 'certs');
  execFileSync('mkdir', ['-p', certs]);
  openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=OMG test CA'].concat([
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
    ]),
    certs,
  );
  openssl(
    ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key'].concat([
      '-out',
      'server.csr',
    ]),
    certs,
  );
  await writeFile(path.join(certs, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
    ].concat(['-extfile', 'san.ext', '-out', 'server.crt']),
    certs,
  );
  caFile = path.join(certs, 'ca.crt');

  // PostgreSQL reads its key only when the server's user owns it and nobody else can read it.
  const owner = await stat(dataDir);
  for (const name of ['server.crt', 'server.key']) {
    const target = path.join(dataDir, name);
    await writeFile(target, await readFile(path.join(certs, name)));
    await chown(target, owner.uid, owner.gid);
    await chmod(target, 0o600);
  }
  // The apps' roles may connect only over TLS (the first matching line wins); the superuser, which the embedded
  // server's own start-up check uses, may still connect in plain text on the loopback.
  const hba = path.join(dataDir, 'pg_hba.conf');
  await writeFile(hba, `hostnossl all omg_hub,omg_svd all reject\n${await readFile(hba, 'utf8')}`);

  server = await startEmbeddedPostgres({
    ...settings,
    settings: { ssl: 'on', ssl_cert_file: 'server.crt', ssl_key_file: 'server.key' },
  });
  adminUrl = server.adminUrl;
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('PostgreSQL over TLS (sslmode in the database URL)', () => {
  it('sslmode=require with the server’s CA (sslrootcert) connects encrypted and verified', async () => {
    expect(await sslInUse(withOptions(adminUrl, { sslmode: 'require', sslrootcert: caFile }))).toBe(true);
  });

  it('sslmode=verify-full checks the host name against the certificate', async () => {
    const viaLocalhost = withOptions(adminUrl.replace('127.0.0.1', 'localhost'), {
      sslmode: 'verify-full',
      sslrootcert: caFile,
    });
    expect(await sslInUse(viaLocalhost)).toBe(true);
  });

  it('node-postgres verifies the certificate even for sslmode=require: an unknown CA is refused', async () => {
    // pg 8 treats require like verify-full (README): without sslrootcert a private CA is not trusted.
    await expect(sslInUse(withOptions(adminUrl, { sslmode: 'require' }))).rejects.toThrow(/certificate/i);
  });

  it('uselibpqcompat=true&sslmode=require encrypts without verifying (libpq’s meaning of require)', async () => {
    expect(await sslInUse(withOptions(adminUrl, { uselibpqcompat: 'true', sslmode: 'require' }))).toBe(true);
  });

  it('migrations, role grants and the app role’s URL keep sslmode: the app pool connects encrypted', async () => {
    const tlsAdmin = withOptions(adminUrl, { sslmode: 'require', sslrootcert: caFile });
    await migrateDatabase(tlsAdmin);
    const hub = { user: 'omg_hub', password: 'hub-tls-password' };
    await applyRoleGrants(tlsAdmin, { hub, svd: { user: 'omg_svd', password: 'svd-tls-password' } });
    // The way scripts derive HUB_DATABASE_URL from DATABASE_URL: credentials replaced, options kept.
    const hubUrl = urlWithCredentials(tlsAdmin, hub);
    expect(new URL(hubUrl).searchParams.get('sslmode')).toBe('require');
    const { pool } = createDatabase(hubUrl, { max: 1, applicationName: 'omg-hub' });
    try {
      const result = await pool.query<{ ssl: boolean; who: string }>(
        'SELECT s.ssl, current_user AS who FROM pg_stat_ssl s WHERE s.pid = pg_backend_pid()',
      );
      expect(result.rows[0]).toEqual({ ssl: true, who: 'omg_hub' });
    } finally {
      await pool.end();
    }
    // And the server refuses the same role without encryption.
    await expect(sslInUse(withOptions(hubUrl, { sslmode: 'disable' }))).rejects.toThrow(/no encryption/);
  }, 60_000);
});
