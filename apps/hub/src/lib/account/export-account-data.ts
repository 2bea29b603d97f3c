import { schema, type TDatabase } from '@omg/db';
import { and, asc, eq, gt, inArray, or, sql } from 'drizzle-orm';

/** Per account: an export reads every row the account has, so a stolen session cannot use it to load the database. */
export const EXPORT_ACCOUNT_DATA_LIMIT = {
  name: 'account-export',
  limit: 5,
  windowSeconds: 60 * 60,
} as const;

/** Rows read per query for the sections that grow without bound (billing events, mail). */
const PAGE = 200;

/** The attachment's name: the day it was made, so a second download does not overwrite the first silently. */
export function exportFilename(now: Date): string {
  return `omg-account-data-${now.toISOString().slice(0, 10)}.json`;
}

/**
 * Everything the Hub holds about one account, as one JSON document written piece by piece (the mail and billing
 * sections are paged, so memory stays flat however long the history). Secrets are left out: the password hash,
 * session tokens, passkeys' keys, the Hub's checkout URLs. SecureVault Docs' own data (vaults, documents) is
 * exported by SVD itself (GET /api/account/export there): the Hub's database role cannot read it, by design.
 */
export async function* exportAccountData(
  database: TDatabase,
  userId: string,
  now: Date = new Date(),
): AsyncGenerator<string> {
  const [user] = await database
    .select({
      id: schema.user.id,
      name: schema.user.name,
      email: schema.user.email,
      emailVerified: schema.user.emailVerified,
      accountType: schema.user.accountType,
      createdAt: schema.user.createdAt,
      updatedAt: schema.user.updatedAt,
    })
    .from(schema.user)
    .where(eq(schema.user.id, userId));
  if (!user) return;
  const json = (value: unknown) => JSON.stringify(value);
  yield `{"exportedAt":${json(now.toISOString())},"profile":${json(user)}`;

  const sessions = await database
    .select({
      createdAt: schema.session.createdAt,
      lastSeenAt: schema.session.updatedAt,
      expiresAt: schema.session.expiresAt,
      ipAddress: schema.session.ipAddress,
      userAgent: schema.session.userAgent,
    })
    .from(schema.session)
    .where(eq(schema.session.userId, userId))
    .orderBy(asc(schema.session.createdAt));
  yield `,"sessions":${json(sessions)}`;

  // What the Account page shows of each passkey; the public key and credential id are the authenticator's business.
  const passkeys = await database
    .select({
      name: schema.passkey.name,
      createdAt: schema.passkey.createdAt,
      lastUsedAt: schema.passkey.lastUsedAt,
      deviceType: schema.passkey.deviceType,
      backedUp: schema.passkey.backedUp,
      transports: schema.passkey.transports,
    })
    .from(schema.passkey)
    .where(eq(schema.passkey.userId, userId))
    .orderBy(asc(schema.passkey.createdAt));
  yield `,"passkeys":${json(passkeys)}`;

  const customers = await database
    .select({ stripeCustomerId: schema.customer.stripeCustomerId, createdAt: schema.customer.createdAt })
    .from(schema.customer)
    .where(eq(schema.customer.userId, userId));
  yield `,"stripeCustomers":${json(customers)}`;

  const subscriptions = await database
    .select()
    .from(schema.subscription)
    .where(eq(schema.subscription.userId, userId))
    .orderBy(asc(schema.subscription.createdAt));
  yield `,"subscriptions":${json(subscriptions)}`;

  const checkouts = await database
    .select({
      id: schema.checkoutSession.id,
      appId: schema.checkoutSession.appId,
      plan: schema.checkoutSession.plan,
      stripeSessionId: schema.checkoutSession.stripeSessionId,
      status: schema.checkoutSession.status,
      expiresAt: schema.checkoutSession.expiresAt,
      createdAt: schema.checkoutSession.createdAt,
      updatedAt: schema.checkoutSession.updatedAt,
    })
    .from(schema.checkoutSession)
    .where(eq(schema.checkoutSession.userId, userId))
    .orderBy(asc(schema.checkoutSession.createdAt));
  yield `,"checkoutSessions":${json(checkouts)}`;

  // Stripe's events name the customer, not the user: those of the account's Stripe customers concern them.
  const customerIds = [
    ...new Set([
      ...customers.map((c) => c.stripeCustomerId),
      ...subscriptions.flatMap((s) => (s.stripeCustomerId ? [s.stripeCustomerId] : [])),
    ]),
  ];
  yield ',"billingEvents":[';
  if (customerIds.length > 0) {
    let after = '';
    let first = true;
    for (;;) {
      const events = await database
        .select({
          id: schema.billingEvent.id,
          type: schema.billingEvent.type,
          stripeCreatedAt: schema.billingEvent.stripeCreatedAt,
          receivedAt: schema.billingEvent.receivedAt,
          outcome: schema.billingEvent.outcome,
          payload: schema.billingEvent.payload,
        })
        .from(schema.billingEvent)
        .where(
          and(
            gt(schema.billingEvent.id, after),
            or(
              inArray(sql<string>`${schema.billingEvent.payload} #>> '{data,object,customer}'`, customerIds),
              inArray(sql<string>`${schema.billingEvent.payload} #>> '{data,object,id}'`, customerIds),
            ),
          ),
        )
        .orderBy(asc(schema.billingEvent.id))
        .limit(PAGE);
      for (const event of events) {
        yield `${first ? '' : ','}${json(event)}`;
        first = false;
      }
      if (events.length < PAGE) break;
      after = events[events.length - 1]?.id ?? after;
    }
  }
  yield ']';

  yield ',"emails":[';
  let after = '';
  let first = true;
  for (;;) {
    const mails = await database
      .select({
        id: schema.outgoingEmail.id,
        kind: schema.outgoingEmail.kind,
        to: schema.outgoingEmail.to,
        subject: schema.outgoingEmail.subject,
        status: schema.outgoingEmail.status,
        createdAt: schema.outgoingEmail.createdAt,
        sentAt: schema.outgoingEmail.sentAt,
        text: schema.outgoingEmail.text,
      })
      .from(schema.outgoingEmail)
      .where(
        and(
          gt(schema.outgoingEmail.id, after),
          or(eq(schema.outgoingEmail.userId, userId), eq(schema.outgoingEmail.to, user.email)),
        ),
      )
      .orderBy(asc(schema.outgoingEmail.id))
      .limit(PAGE);
    for (const mail of mails) {
      yield `${first ? '' : ','}${json(mail)}`;
      first = false;
    }
    if (mails.length < PAGE) break;
    after = mails[mails.length - 1]?.id ?? after;
  }
  yield ']';
  yield `,"secureVaultDocs":${json({ note: 'Your vaults and documents are exported by SecureVault Docs itself: Account → Download your data → SecureVault Docs.' })}}`;
}
