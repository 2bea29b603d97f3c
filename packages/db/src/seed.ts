import { randomUUID } from 'node:crypto';
import { CATALOG } from '@omg/contract';
import { hashPassword } from 'better-auth/crypto';
import { sql } from 'drizzle-orm';
import type { TDatabase } from './client';
import { account, app, coupon, planPrice, user } from './schema';

export const DEMO_ACCOUNT = {
  email: 'demo@omg.local',
  password: 'omg-demo-2026',
  name: 'Demo User',
} as const;

/**
 * Upserts the catalog's apps into hub."App" and its plans' monthly prices into hub."PlanPrice". Launch URLs come
 * from the environment (`SVD_URL`, `CRM_URL`, …); an app without one shows "not available yet" on the portal.
 */
export async function seedCatalog(db: TDatabase, env: Record<string, string | undefined>): Promise<void> {
  const rows = CATALOG.map((product, index) => ({
    id: product.appId,
    slug: product.slug,
    name: product.name,
    tagline: product.tagline,
    description: product.description,
    launchUrl: product.launchUrlEnv ? (env[product.launchUrlEnv] ?? null) : null,
    sortOrder: index,
  }));
  await db
    .insert(app)
    .values(rows)
    .onConflictDoUpdate({
      target: app.id,
      set: {
        slug: sql`excluded."slug"`,
        name: sql`excluded."name"`,
        tagline: sql`excluded."tagline"`,
        description: sql`excluded."description"`,
        launchUrl: sql`excluded."launchUrl"`,
        sortOrder: sql`excluded."sortOrder"`,
        updatedAt: sql`now()`,
      },
    });
  // The history trigger prices subscription changes from hub."PlanPrice": it follows the catalog here.
  const prices = CATALOG.flatMap((product) =>
    product.plans.flatMap((plan) =>
      plan.priceCents === null
        ? []
        : [
            {
              appId: product.appId,
              plan: plan.id,
              monthlyPriceCents: plan.priceCents,
              seatPriceCents: plan.seatPriceCents,
            },
          ],
    ),
  );
  await db
    .insert(planPrice)
    .values(prices)
    .onConflictDoUpdate({
      target: [planPrice.appId, planPrice.plan],
      set: {
        monthlyPriceCents: sql`excluded."monthlyPriceCents"`,
        seatPriceCents: sql`excluded."seatPriceCents"`,
        updatedAt: sql`now()`,
      },
    });
}

/**
 * Creates an email + password user as the Hub's sign-up does, unless one with that email exists. Returns the user's
 * id either way. Used for the demo login and by the tests' fixtures. The password is hashed with better-auth's scrypt,
 * the Hub's former hash: the Hub still verifies it and replaces it with argon2id at the first sign-in, so every
 * seeded account also exercises that upgrade.
 */
export async function seedUser(
  db: TDatabase,
  input: { email: string; password: string; name: string; accountType?: 'personal' | 'business' },
): Promise<string> {
  const email = input.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const existing = await tx.select({ id: user.id }).from(user).where(sql`lower(${user.email}) = ${email}`);
    if (existing[0]) return existing[0].id;
    const id = randomUUID();
    await tx
      .insert(user)
      .values({ id, email, name: input.name, accountType: input.accountType ?? 'personal' });
    await tx.insert(account).values({
      id: randomUUID(),
      userId: id,
      accountId: id,
      providerId: 'credential',
      password: passwordHash,
    });
    return id;
  });
}

export async function seedDemoAccount(db: TDatabase): Promise<string> {
  return seedUser(db, DEMO_ACCOUNT);
}

/** The demo coupon of the checkout walkthrough: WELCOME20, 20 % off every product. */
export const DEMO_COUPON = {
  code: 'WELCOME20',
  percentOff: 20,
  description: '20 % off, every product',
} as const;

/**
 * Creates the demo coupon unless it exists. An existing row is left alone: its redemption count and Stripe ids
 * belong to what happened since, and re-seeding must not reset them.
 */
export async function seedDemoCoupons(db: TDatabase): Promise<void> {
  await db
    .insert(coupon)
    .values({
      code: DEMO_COUPON.code,
      description: DEMO_COUPON.description,
      type: 'PERCENTAGE',
      percentOff: DEMO_COUPON.percentOff,
    })
    .onConflictDoNothing({ target: coupon.code });
}
