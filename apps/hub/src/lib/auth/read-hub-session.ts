import { createHmac, timingSafeEqual } from 'node:crypto';
import { schema, type TDatabase } from '@omg/db';
import { parseCookies } from 'better-auth/cookies';
import { parseSessionOutput, parseUserOutput } from 'better-auth/db';
import { eq, getTableColumns, sql } from 'drizzle-orm';
import type { TAuth } from './auth';

export type THubSession = NonNullable<Awaited<ReturnType<TAuth['api']['getSession']>>>;

/** better-call's signed cookie: `<value>.<base64 HMAC-SHA256 of value>`, the signature always 44 characters. */
function verifiedCookieValue(signed: string, secret: string): string | null {
  const dot = signed.lastIndexOf('.');
  if (dot < 1) return null;
  const value = signed.slice(0, dot);
  const signature = signed.slice(dot + 1);
  if (signature.length !== 44 || !signature.endsWith('=')) return null;
  const expected = createHmac('sha256', secret).update(value).digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected) ? value : null;
}

// The user's fields as better-auth's adapter reads them (its schema's, with the plugins' and additionalFields);
// the console's columns (role, ban, deletion) are not part of a session.
const { id, email, name, image, accountType, emailVerified, twoFactorEnabled, createdAt, updatedAt } =
  schema.user;
const userFields = {
  id,
  email,
  name,
  image,
  accountType,
  emailVerified,
  twoFactorEnabled,
  createdAt,
  updatedAt,
};
const userRefused = sql<boolean>`(${schema.user.bannedAt} is not null or ${schema.user.deletedAt} is not null)`;

/**
 * The signed-in user and their session, as better-auth's `getSession` answers them, in one statement instead of
 * its two (the session by token, then its user). The same rules decide: the cookie's signature under
 * better-auth's own secret, a session row that exists (logout, "sign out everywhere", a ban and an account
 * deletion remove it) and has not expired; a banned or deleted account is refused even if a row were left. A
 * session that has expired or is due for better-auth's daily sliding refresh goes to `getSession` itself, which
 * deletes or extends it exactly as before; that is one request per session per day. better-auth's cookie cache
 * (a signed copy of the session in a second cookie) would save the read altogether, but a revoked session would
 * then stay valid in every browser holding a copy until it expires: not acceptable for single logout.
 */
export async function readHubSession(
  auth: TAuth,
  database: TDatabase,
  headers: Headers,
): Promise<THubSession | null> {
  const cookieHeader = headers.get('cookie');
  if (!cookieHeader) return null;
  const context = await auth.$context;
  const signed = parseCookies(cookieHeader).get(context.authCookies.sessionToken.name);
  const token = signed ? verifiedCookieValue(signed, context.secret) : null;
  if (!token) return null;
  const [row] = await database
    .select({ session: getTableColumns(schema.session), user: userFields, refused: userRefused })
    .from(schema.session)
    .innerJoin(schema.user, eq(schema.user.id, schema.session.userId))
    .where(eq(schema.session.token, token));
  if (!row || row.refused) return null;
  const { expiresIn, updateAge } = context.sessionConfig;
  const expiresAt = row.session.expiresAt.getTime();
  const now = Date.now();
  if (expiresAt <= now || expiresAt - expiresIn * 1000 + updateAge * 1000 <= now) {
    return auth.api.getSession({ headers });
  }
  // better-auth's own output filters (the fields its schema returns); core."User" allows null timestamps, which
  // its types do not, hence the cast: the rows are the ones its adapter would have read.
  return {
    session: parseSessionOutput(auth.options, row.session),
    user: parseUserOutput(auth.options, row.user as Parameters<typeof parseUserOutput>[1]),
  } as THubSession;
}
