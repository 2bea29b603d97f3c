import { randomUUID } from 'node:crypto';
import { schema, type TDatabase } from '@omg/db';
import { uniqueEmail } from '@omg/db/testing';
import type { TCaughtMail } from '@omg/mail/catcher';

/**
 * A customer as `npm run svd:migrate` leaves them (SPEC §7): a core."User" with no password and a SecureVault
 * hub."Subscription" with source 'svd_direct_migration', the migration time and the grandfathered price.
 */
export async function insertMigratedCustomer(
  db: TDatabase,
  options: { prefix: string; plan?: string; grandfatheredPriceCents?: number; stripeSubscriptionId?: string },
): Promise<{ userId: string; email: string; name: string }> {
  const userId = randomUUID();
  const email = uniqueEmail(options.prefix);
  const name = 'Ada, Migrated';
  await db.insert(schema.user).values({ id: userId, email, name });
  await db.insert(schema.subscription).values({
    id: randomUUID(),
    userId,
    appId: 'app_securevault',
    plan: options.plan ?? 'growth',
    status: 'active',
    source: 'svd_direct_migration',
    migratedAt: new Date(),
    grandfatheredPriceCents: options.grandfatheredPriceCents ?? 999,
    stripeSubscriptionId: options.stripeSubscriptionId ?? null,
  });
  return { userId, email, name };
}

/** Waits for a mail to `to` whose subject matches, in the real SMTP catcher `npm run test:unit` started. */
export async function caughtMail(to: string, subject: RegExp, timeoutMs = 20_000): Promise<TCaughtMail> {
  const inbox = process.env.MAIL_CATCHER_URL;
  if (!inbox) throw new Error('run with `npm run test:unit`: it starts the local SMTP catcher');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails: TCaughtMail[] = await (
      await fetch(`${inbox}/api/messages?to=${encodeURIComponent(to)}`)
    ).json();
    const mail = mails.find((m) => subject.test(m.subject));
    if (mail) return mail;
    if (Date.now() > deadline)
      throw new Error(`no mail "${subject}" to ${to}; inbox: ${JSON.stringify(mails)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Every mail to `to` the catcher holds now. */
export async function caughtMails(to: string): Promise<TCaughtMail[]> {
  return (await fetch(`${process.env.MAIL_CATCHER_URL}/api/messages?to=${encodeURIComponent(to)}`)).json();
}

/** The href of the mail's link containing `path`, as the person would click it. */
export function linkIn(mail: TCaughtMail, path: string): URL {
  const href = [...mail.html.matchAll(/href="([^"]+)"/g)]
    .map((m) => (m[1] ?? '').replaceAll('&amp;', '&'))
    .find((h) => h.includes(path));
  if (!href) throw new Error(`no ${path} link in ${mail.html}`);
  return new URL(href);
}
