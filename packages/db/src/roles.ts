import pg from 'pg';

export interface TRoleCredentials {
  user: string;
  password: string;
}

export function credentialsFromUrl(url: string): TRoleCredentials {
  const parsed = new URL(url);
  return { user: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) };
}

/** Replaces the credentials of a database URL, keeping host, port, database and options. */
export function urlWithCredentials(url: string, credentials: TRoleCredentials): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(credentials.user);
  parsed.password = encodeURIComponent(credentials.password);
  return parsed.toString();
}

/**
 * Least privilege (SPEC §2): the Hub reads and writes `core` and `hub` and reads only ("userId", "createdAt") of
 * securevault."UserProfile" (when SVD's free trial started); SVD owns `securevault` and only reads
 * the user, the catalog and its entitlements, plus which Hub sessions are alive (single logout) — never the
 * session tokens themselves. Safe to run any number of times; run after every migration.
 */
export async function applyRoleGrants(
  adminUrl: string,
  roles: { hub: TRoleCredentials; svd: TRoleCredentials },
): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const id = (name: string) => client.escapeIdentifier(name);
  const hubRole = id(roles.hub.user);
  const svdRole = id(roles.svd.user);
  const adminUser = (await client.query<{ u: string }>('SELECT current_user AS u')).rows[0]?.u;
  try {
    await client.query('BEGIN');
    // Concurrent runs (two apps starting at once) must not race on CREATE ROLE.
    await client.query('SELECT pg_advisory_xact_lock(7346001)');
    for (const role of [roles.hub, roles.svd]) {
      if (role.user === adminUser) continue;
      const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role.user]);
      const verb = exists.rowCount === 0 ? 'CREATE' : 'ALTER';
      await client.query(
        `${verb} ROLE ${id(role.user)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${client.escapeLiteral(role.password)}`,
      );
    }
    const database = id(
      (await client.query<{ d: string }>('SELECT current_database() AS d')).rows[0]?.d ?? '',
    );
    await client.query(`GRANT CONNECT ON DATABASE ${database} TO ${hubRole}, ${svdRole}`);

    await client.query(`GRANT USAGE ON SCHEMA core, hub TO ${hubRole}`);
    await client.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA core, hub TO ${hubRole}`,
    );
    await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA core, hub TO ${hubRole}`);
    // The audit trail of the operator's console is append-only (issue 14): the Hub writes and reads it, and
    // nothing it runs can rewrite or erase it. Only the admin role (migrations, an operator at psql) could.
    await client.query(`REVOKE UPDATE, DELETE, TRUNCATE ON hub."AuditLog" FROM ${hubRole}`);
    // The subscription history the metrics recompute the past from is append-only the same way: its trigger
    // inserts as the Hub's role, nothing the Hub runs can rewrite a past month. The hand-off counts read SVD's
    // spent tokens through a function that returns counts only; the Hub still cannot read that table.
    await client.query(`REVOKE UPDATE, DELETE, TRUNCATE ON hub."SubscriptionChange" FROM ${hubRole}`);
    await client.query(`GRANT EXECUTE ON FUNCTION hub."LaunchHandoffs"(timestamp, timestamp) TO ${hubRole}`);

    // The mail queue (pg-boss, created by the admin in prepare): the Hub and its mail worker only read and write
    // its rows; creating queues (a table each) stays with the admin.
    const queue = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = 'pgboss'");
    if (queue.rowCount) {
      await client.query(`GRANT USAGE ON SCHEMA pgboss TO ${hubRole}`);
      await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pgboss TO ${hubRole}`);
      await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA pgboss TO ${hubRole}`);
    }

    // SVD's no-subscription free trial runs from the customer's first use of SVD (the profile's creation), so the
    // Hub may read when each profile was created and name the trial’s days as SVD does; nothing else of
    // SVD's: no email or name, no other table, no writes. Revoking first removes anything granted before.
    // (Not when one role plays both parts, as in a single-user setup: that role keeps what it owns.)
    if (roles.hub.user !== adminUser && roles.hub.user !== roles.svd.user) {
      await client.query(`GRANT USAGE ON SCHEMA securevault TO ${hubRole}`);
      await client.query(`REVOKE ALL ON ALL TABLES IN SCHEMA securevault FROM ${hubRole}`);
      await client.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA securevault FROM ${hubRole}`);
      await client.query(`GRANT SELECT ("userId", "createdAt") ON securevault."UserProfile" TO ${hubRole}`);
      // The operator's console (issue 14) shows and filters by SVD usage: per-user sums through the UserUsage
      // view (it reads Document with its owner's rights; no name or content is in it) and the processing units
      // counted per period. Still nothing that names or holds a document.
      await client.query(`GRANT SELECT ON securevault."UserUsage" TO ${hubRole}`);
      // And when a customer's SVD sessions began and end (no ids, no token hashes): the SessionActivity view.
      await client.query(`GRANT SELECT ON securevault."SessionActivity" TO ${hubRole}`);
      await client.query(
        `GRANT SELECT ("userId", "periodStart", "unitsUsed") ON securevault."ProcessingUsage" TO ${hubRole}`,
      );
    }

    await client.query(`GRANT USAGE ON SCHEMA core, hub TO ${svdRole}`);
    await client.query(`REVOKE ALL ON ALL TABLES IN SCHEMA core, hub FROM ${svdRole}`);
    await client.query(`GRANT SELECT ON core."User", hub."Subscription", hub."App" TO ${svdRole}`);
    await client.query(`GRANT SELECT (id, "userId", "expiresAt") ON core."Session" TO ${svdRole}`);
    // The team space (issue 15): who belongs to which organization with which role, read on every request so a
    // removed or downgraded member is refused at once, and the organization's name to show. Nothing else of it.
    await client.query(`GRANT SELECT ("organizationId", "userId", role) ON core."Membership" TO ${svdRole}`);
    await client.query(`GRANT SELECT (id, name) ON core."Organization" TO ${svdRole}`);
    // Comps (issue 14) are part of the entitlement SVD enforces: which plan, for whom, until when — not why or
    // by whom (the reason and the staff member stay in the Hub).
    await client.query(
      `GRANT SELECT (id, "userId", "appId", plan, "startsAt", "endsAt", "revokedAt") ON hub."Comp" TO ${svdRole}`,
    );
    await client.query(`GRANT ALL ON SCHEMA securevault TO ${svdRole}`);
    await client.query(`GRANT ALL ON ALL TABLES IN SCHEMA securevault TO ${svdRole}`);
    await client.query(`GRANT ALL ON ALL SEQUENCES IN SCHEMA securevault TO ${svdRole}`);

    // SVD's indexing queue (pg-boss in a schema of its own, created by the admin in prepare): SVD and its workers
    // only read and write its rows, as the Hub does in `pgboss`; neither role sees the other's queue.
    const indexQueue = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = 'svd_queue'");
    if (indexQueue.rowCount) {
      await client.query(`GRANT USAGE ON SCHEMA svd_queue TO ${svdRole}`);
      await client.query(
        `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA svd_queue TO ${svdRole}`,
      );
      await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA svd_queue TO ${svdRole}`);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    await client.end();
  }
}
