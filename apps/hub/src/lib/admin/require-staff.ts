import { randomUUID } from 'node:crypto';
import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, desc, eq } from 'drizzle-orm';
import { auth } from '../auth/auth';
import { db } from '../db';
import { hasStaffRole, type TStaffRole, type TUserRole } from './staff-role';

/** Staff actions need a credential check within this many idle minutes (issue 14). */
export const STAFF_RECENT_SIGN_IN_MINUTES = 15;

/** Answered to everyone who is not staff: the console is not advertised (404, never 401 or 403). */
export const STAFF_NOT_FOUND_MESSAGE = 'This page could not be found.';

/** The AppError detail that tells the page (or a client) to send staff to /admin/confirm. */
export const RECENT_SIGN_IN_REQUIRED = 'RECENT_SIGN_IN_REQUIRED';

export interface TStaff {
  userId: string;
  email: string;
  name: string | null;
  role: TUserRole;
  sessionId: string;
}

/** The core."Verification" row that holds when this session last proved its credentials on the console. */
export const staffCheckIdentifier = (sessionId: string) => `staff-recent-check:${sessionId}`;

/** When the session last proved who it is: its sign-in, or a later password confirmation or console activity. */
async function lastCheckOf(database: TDatabase, sessionId: string, signedInAt: Date): Promise<Date> {
  const [row] = await database
    .select({ at: schema.verification.updatedAt })
    .from(schema.verification)
    .where(eq(schema.verification.identifier, staffCheckIdentifier(sessionId)))
    .orderBy(desc(schema.verification.updatedAt))
    .limit(1);
  return row && row.at > signedInAt ? row.at : signedInAt;
}

/**
 * Records now as this session's latest check. In PostgreSQL, not process memory: every Hub instance sees it, and
 * it survives a restart. The row ends with the session (expiresAt), when better-auth may clear it.
 */
export async function recordStaffCheck(
  database: TDatabase,
  session: { id: string; userId: string; expiresAt: Date },
): Promise<void> {
  const identifier = staffCheckIdentifier(session.id);
  const now = new Date();
  const updated = await database
    .update(schema.verification)
    .set({ updatedAt: now, expiresAt: session.expiresAt })
    .where(and(eq(schema.verification.identifier, identifier), eq(schema.verification.value, session.userId)))
    .returning({ id: schema.verification.id });
  if (updated.length > 0) return;
  await database.insert(schema.verification).values({
    id: randomUUID(),
    identifier,
    value: session.userId,
    expiresAt: session.expiresAt,
    createdAt: now,
    updatedAt: now,
  });
}

/**
 * The guard of every /admin page and API. Signed-out, deleted and non-staff users (and support where admin is
 * needed) get AppError NOT_FOUND; staff whose last credential check is older than `recentSignInMinutes` of idle
 * time get FORBIDDEN with details.code RECENT_SIGN_IN_REQUIRED. A passing call slides the idle window.
 * `recentSignInMinutes: false` is for /admin/confirm itself, which is where a stale session goes.
 */
export async function requireStaff(
  source: Request | Headers,
  options: { role: TStaffRole; recentSignInMinutes?: number | false },
  database: TDatabase = db(),
): Promise<TStaff> {
  const headers = source instanceof Request ? source.headers : source;
  const session = await auth().api.getSession({ headers });
  if (!session) throw new AppError('NOT_FOUND', STAFF_NOT_FOUND_MESSAGE);
  // The role is read from PostgreSQL on every request, so taking it away (admin:grant --role user) is immediate.
  const [found] = await database
    .select({ role: schema.user.role, deletedAt: schema.user.deletedAt })
    .from(schema.user)
    .where(eq(schema.user.id, session.user.id));
  if (!found || found.deletedAt || !hasStaffRole(found.role, options.role)) {
    throw new AppError('NOT_FOUND', STAFF_NOT_FOUND_MESSAGE);
  }
  const staff: TStaff = {
    userId: session.user.id,
    email: session.user.email,
    name: session.user.name ?? null,
    role: found.role as TUserRole,
    sessionId: session.session.id,
  };
  const minutes = options.recentSignInMinutes ?? STAFF_RECENT_SIGN_IN_MINUTES;
  if (minutes === false) return staff;
  const last = await lastCheckOf(database, session.session.id, new Date(session.session.createdAt));
  if (Date.now() - last.getTime() > minutes * 60_000) {
    throw new AppError('FORBIDDEN', 'Confirm your password to continue.', {
      details: { code: RECENT_SIGN_IN_REQUIRED },
    });
  }
  await recordStaffCheck(database, {
    id: session.session.id,
    userId: session.user.id,
    expiresAt: new Date(session.session.expiresAt),
  });
  return staff;
}
