import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { TLaunchClaims } from '@omg/contract';
import type { TDatabase } from '@omg/db';
import { sql } from 'drizzle-orm';
import { SVD_SESSION_MAX_AGE_SECONDS } from './session';

export type TSpentLaunch =
  | { ok: true; sessionToken: string; expiresAt: Date }
  | { ok: false; reason: 'hub_session_ended' | 'already_used' };

/**
 * The accepting half of a bound hand-off in one statement, so a sign-in costs one round trip instead of four: the
 * Hub session the token names must still be live; then its `jti` is spent (a conflict means someone spent it
 * first, on any instance); only then is the profile created or refreshed from the claims and the SVD session
 * written, lasting no longer than the Hub session nor SVD_SESSION_MAX_AGE_SECONDS. Nothing is written unless
 * both checks pass. The cookie value is returned; only its SHA-256 is stored. A business launch records the
 * token's organizationId on the session (the space it opens); its role claim is not kept — SVD reads the role
 * from core."Membership" on every request.
 */
export async function spendLaunchToken(db: TDatabase, claims: TLaunchClaims): Promise<TSpentLaunch> {
  const sessionToken = randomBytes(32).toString('base64url');
  const tokenHash = createHash('sha256').update(sessionToken).digest('hex');
  const cap = new Date(Date.now() + SVD_SESSION_MAX_AGE_SECONDS * 1000).toISOString();
  const tokenExpiresAt = new Date(claims.exp * 1000).toISOString();
  const result = await db.execute<{ hub_alive: boolean; spent: boolean; expires_ms: string | null }>(sql`
    with hub as (
      select "expiresAt" from core."Session"
      where id = ${claims.sid} and "userId" = ${claims.sub} and "expiresAt" > now()
    ), spent as (
      insert into securevault."UsedLaunchToken" (jti, "userId", "expiresAt")
      select ${claims.jti}, ${claims.sub}, ${tokenExpiresAt}::timestamp from hub
      on conflict do nothing
      returning jti
    ), profile as (
      insert into securevault."UserProfile" ("userId", email, name, "accountType", "lastLoginAt")
      select ${claims.sub}, ${claims.email}, ${claims.name}, ${claims.accountType}, now() from spent
      on conflict ("userId") do update set email = excluded.email, name = excluded.name,
        "accountType" = excluded."accountType", "lastLoginAt" = now(), "updatedAt" = now()
      returning "userId"
    ), created as (
      insert into securevault."Session" (id, "tokenHash", "userId", "hubSessionId", "organizationId", "expiresAt")
      select ${randomUUID()}, ${tokenHash}, ${claims.sub}, ${claims.sid}, ${claims.organizationId ?? null},
        least(hub."expiresAt", ${cap}::timestamp)
      from hub, spent
      returning "expiresAt"
    )
    select exists (select 1 from hub) as hub_alive,
      exists (select 1 from spent) as spent,
      (select (extract(epoch from "expiresAt") * 1000)::bigint::text from created) as expires_ms
  `);
  const row = result.rows[0];
  if (!row?.hub_alive) return { ok: false, reason: 'hub_session_ended' };
  if (!row.spent || row.expires_ms === null) return { ok: false, reason: 'already_used' };
  return { ok: true, sessionToken, expiresAt: new Date(Number(row.expires_ms)) };
}
