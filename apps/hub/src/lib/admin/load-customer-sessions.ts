import { schema, type TDatabase } from '@omg/db';
import { desc, eq } from 'drizzle-orm';

/** The newest sessions shown per app; a customer with more still sees how many there are in total. */
export const CUSTOMER_SESSIONS_SHOWN = 20;

export interface THubSessionSummary {
  id: string;
  createdAt: Date;
  /** better-auth slides updatedAt when it refreshes a session: the closest record of last activity. */
  lastActiveAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  ipAddress: string | null;
  live: boolean;
}

export interface TSvdSessionSummary {
  /** The Hub session it was handed off from; ending that one ends this one (single logout). */
  hubSessionId: string;
  createdAt: Date;
  expiresAt: Date;
  live: boolean;
}

export interface TCustomerSessions {
  hub: THubSessionSummary[];
  hubTotal: number;
  svd: TSvdSessionSummary[];
  svdTotal: number;
}

/**
 * A customer's sign-in sessions in both apps, newest first (issue 14): the Hub's own rows, and SVD's through the
 * securevault."SessionActivity" view, the only part of SVD's session table the Hub's role may read (no ids or
 * token hashes). Both by indexed user id.
 */
export async function loadCustomerSessions(
  db: TDatabase,
  userId: string,
  now = new Date(),
): Promise<TCustomerSessions> {
  const h = schema.session;
  const v = schema.sessionActivity;
  const [hub, hubTotal, svd, svdTotal] = await Promise.all([
    db
      .select({
        id: h.id,
        createdAt: h.createdAt,
        lastActiveAt: h.updatedAt,
        expiresAt: h.expiresAt,
        userAgent: h.userAgent,
        ipAddress: h.ipAddress,
      })
      .from(h)
      .where(eq(h.userId, userId))
      .orderBy(desc(h.createdAt), desc(h.id))
      .limit(CUSTOMER_SESSIONS_SHOWN),
    db.$count(h, eq(h.userId, userId)),
    db
      .select({ hubSessionId: v.hubSessionId, createdAt: v.createdAt, expiresAt: v.expiresAt })
      .from(v)
      .where(eq(v.userId, userId))
      .orderBy(desc(v.createdAt))
      .limit(CUSTOMER_SESSIONS_SHOWN),
    db.$count(v, eq(v.userId, userId)),
  ]);
  return {
    hub: hub.map((s) => ({ ...s, live: s.expiresAt > now })),
    hubTotal,
    svd: svd.map((s) => ({ ...s, live: s.expiresAt > now })),
    svdTotal,
  };
}
