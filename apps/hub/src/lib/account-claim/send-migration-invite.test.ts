import { schema } from '@omg/db';
import { connectAs } from '@omg/db/testing';
import type { TMailWorker } from '@omg/mail';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caughtMail, caughtMails, insertMigratedCustomer, linkIn } from '@/testing/migrated-customer';
import { startTestMailWorker } from '@/testing/start-test-mail-worker';
import { CLAIM_LINK_VALID_DAYS, hashClaimToken } from './claim-token';
import { findAccountClaim } from './find-account-claim';
import { sendMigrationInvite } from './send-migration-invite';

const hub = connectAs('hub');
// What a script passes: it has no Hub environment to read these from.
const links = { hubUrl: 'https://hub.example.test', mailFrom: 'OMG System <welcome@example.test>' };
const DAY_MS = 24 * 60 * 60 * 1000;
let worker: TMailWorker | undefined;

beforeAll(async () => {
  // The real worker, once the mail earlier files left on the shared queue is sent (see startTestMailWorker).
  worker = await startTestMailWorker();
});

afterAll(async () => {
  await worker?.stop();
  await hub.pool.end();
});

const claimsOf = (userId: string) =>
  hub.db.select().from(schema.accountClaim).where(eq(schema.accountClaim.userId, userId));
const outboxOf = (userId: string) =>
  hub.db.select().from(schema.outgoingEmail).where(eq(schema.outgoingEmail.userId, userId));

describe('sendMigrationInvite (the migration welcome, SPEC §7)', { timeout: 30_000 }, () => {
  it('mails who they are, plan, grandfathered price and a single-use claim link; only its hash is stored', async () => {
    const customer = await insertMigratedCustomer(hub.db, { prefix: 'invite', grandfatheredPriceCents: 999 });
    const before = Date.now();
    expect(await sendMigrationInvite(hub.db, { userId: customer.userId, ...links })).toEqual({
      queued: true,
    });

    const mail = await caughtMail(customer.email, /SecureVault Docs subscription now lives/);
    expect(mail.from).toContain('welcome@example.test');
    for (const part of [mail.html, mail.text]) {
      expect(part).toContain(customer.email);
      expect(part).toContain('Growth');
      expect(part).toContain('$9.99');
      expect(part).toContain('grandfathered');
    }
    const link = linkIn(mail, '/claim');
    expect(link.origin).toBe(links.hubUrl);
    expect(link.pathname).toBe('/claim');
    const token = link.searchParams.get('token') ?? '';
    expect(mail.text).toContain(link.toString());

    const [claim, ...more] = await claimsOf(customer.userId);
    expect(more).toEqual([]);
    expect(claim?.tokenHash).toBe(hashClaimToken(token));
    expect(claim?.tokenHash).not.toContain(token);
    expect(claim?.usedAt).toBeNull();
    const validFor = (claim?.expiresAt.getTime() ?? 0) - before;
    expect(validFor).toBeGreaterThan(CLAIM_LINK_VALID_DAYS * DAY_MS - 60_000);
    expect(validFor).toBeLessThanOrEqual(CLAIM_LINK_VALID_DAYS * DAY_MS + 60_000);
    expect(await findAccountClaim(hub.db, { token })).toEqual({
      state: 'valid',
      email: customer.email,
      name: customer.name,
    });
    const [outbox] = await outboxOf(customer.userId);
    expect(outbox).toMatchObject({
      kind: 'migration-welcome',
      idempotencyKey: `migration-welcome:${customer.userId}`,
    });
  });

  it('a re-run (or two at once) queues nothing more and creates no second token', async () => {
    const customer = await insertMigratedCustomer(hub.db, { prefix: 'invite-twice' });
    const runs = await Promise.all([
      sendMigrationInvite(hub.db, { userId: customer.userId, ...links }),
      sendMigrationInvite(hub.db, { userId: customer.userId, ...links }),
    ]);
    expect(runs.map((r) => r.queued).sort()).toEqual([false, true]);
    expect(await sendMigrationInvite(hub.db, { userId: customer.userId, ...links })).toEqual({
      queued: false,
    });
    expect(await claimsOf(customer.userId)).toHaveLength(1);
    expect(await outboxOf(customer.userId)).toHaveLength(1);
    await caughtMail(customer.email, /now lives in your OMG account/);
    // Give the worker time to send anything else it had (it must have nothing).
    await new Promise((r) => setTimeout(r, 1500));
    expect(await caughtMails(customer.email)).toHaveLength(1);
  });

  it('writes neither token nor mail when the caller’s transaction rolls back', async () => {
    const customer = await insertMigratedCustomer(hub.db, { prefix: 'invite-rollback' });
    await expect(
      hub.db.transaction(async (tx) => {
        await sendMigrationInvite(tx, { userId: customer.userId, ...links });
        throw new Error('the migration row failed');
      }),
    ).rejects.toThrow('the migration row failed');
    expect(await claimsOf(customer.userId)).toEqual([]);
    expect(await outboxOf(customer.userId)).toEqual([]);
    // Not spent by the rollback: the next run sends it.
    expect(await sendMigrationInvite(hub.db, { userId: customer.userId, ...links })).toEqual({
      queued: true,
    });
  });

  it('an account that already has a password gets the welcome with a sign-in link and no token', async () => {
    const customer = await insertMigratedCustomer(hub.db, { prefix: 'invite-has-password' });
    await hub.db.insert(schema.account).values({
      id: crypto.randomUUID(),
      userId: customer.userId,
      accountId: customer.userId,
      providerId: 'credential',
      password: 'a-better-auth-hash',
    });
    expect(await sendMigrationInvite(hub.db, { userId: customer.userId, ...links })).toEqual({
      queued: true,
    });
    const mail = await caughtMail(customer.email, /now lives in your OMG account/);
    expect(linkIn(mail, '/login').toString()).toBe(`${links.hubUrl}/login`);
    expect(mail.html).not.toContain('/claim');
    expect(await claimsOf(customer.userId)).toEqual([]);
  });

  it('refuses a user that does not exist', async () => {
    await expect(
      sendMigrationInvite(hub.db, { userId: crypto.randomUUID(), ...links }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
