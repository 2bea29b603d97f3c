import { findProductByAppId, formatBillingDay } from '@omg/contract';
import { findSubscription, schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { findSupportTarget } from './find-support-target';
import { recordAuditEntry } from './record-audit-entry';
import { auditActorFields, type TSupportActor, ZSupportReasonSchema } from './support-actor';

/** A comp lasts at least an hour (anything shorter is a mistake) and at most a year. */
export const COMP_MIN_MS = 60 * 60 * 1000;
export const COMP_MAX_DAYS = 366;

export const ZGrantCompSchema = z.object({
  appId: z.string().trim().min(1, 'Choose the product.').max(100),
  plan: z.string().trim().min(1, 'Choose the plan.').max(100),
  endsAt: z.iso.datetime({ offset: true, error: 'Give the end as a date and time.' }),
  reason: ZSupportReasonSchema,
});
export type TGrantComp = z.input<typeof ZGrantCompSchema>;

export interface TGrantCompResult {
  compId: string;
  appId: string;
  plan: string;
  startsAt: Date;
  endsAt: Date;
  auditId: string;
}

/**
 * Comps a plan (admin): free access to `plan` of `appId` until `endsAt`, as a hub."Comp" row with its audit entry
 * in one transaction. The entitlement reads it beside hub."Subscription" and the better of the two applies while it
 * lasts; it ends by itself at `endsAt` (revokeComp ends it early). One live comp per customer and product: a
 * second is refused until the first is revoked, so a double submit cannot stack two.
 */
export async function grantComp(
  database: TDatabase,
  actor: TSupportActor,
  userId: string,
  input: TGrantComp,
  now = new Date(),
): Promise<TGrantCompResult> {
  const { appId, plan, endsAt: endsAtText, reason } = ZGrantCompSchema.parse(input);
  const product = findProductByAppId(appId);
  if (!product) throw new AppError('BAD_REQUEST', `There is no product ${appId}.`);
  const catalogPlan = product.plans.find((p) => p.id === plan);
  if (!catalogPlan) {
    throw new AppError(
      'BAD_REQUEST',
      `${product.name} has no plan ${plan}; choose one of ${product.plans.map((p) => p.name).join(', ')}.`,
    );
  }
  const endsAt = new Date(endsAtText);
  if (endsAt.getTime() - now.getTime() < COMP_MIN_MS) {
    throw new AppError('BAD_REQUEST', 'The comp must end at least an hour from now.');
  }
  if (endsAt.getTime() - now.getTime() > COMP_MAX_DAYS * 86_400_000) {
    throw new AppError('BAD_REQUEST', `A comp lasts at most a year (${COMP_MAX_DAYS} days).`);
  }
  return database.transaction(async (tx) => {
    // The user's row lock also serializes two grants for one customer: the second sees the first's comp.
    const target = await findSupportTarget(tx, userId, { lock: true, allowDeleted: false });
    const [live] = await tx
      .select()
      .from(schema.comp)
      .where(
        and(
          eq(schema.comp.userId, target.id),
          eq(schema.comp.appId, appId),
          isNull(schema.comp.revokedAt),
          gt(schema.comp.endsAt, now),
        ),
      );
    if (live) {
      const livePlan = product.plans.find((p) => p.id === live.plan)?.name ?? live.plan;
      throw new AppError(
        'CONFLICT',
        `${target.email} already has ${product.name} ${livePlan} comped until ${formatBillingDay(live.endsAt)}. Revoke that comp first.`,
      );
    }
    const subscription = await findSubscription(tx, { userId: target.id, appId });
    const [comp] = await tx
      .insert(schema.comp)
      .values({
        userId: target.id,
        appId,
        plan,
        reason,
        startsAt: now,
        endsAt,
        grantedBy: actor.staff.userId,
      })
      .returning({ id: schema.comp.id });
    if (!comp) throw new Error('The comp was not stored.');
    const auditId = await recordAuditEntry(tx, {
      ...auditActorFields(actor),
      action: 'comp.grant',
      targetUserId: target.id,
      reason,
      before: {
        subscription: subscription ? { plan: subscription.plan, status: subscription.status } : null,
      },
      after: { compId: comp.id, appId, plan, endsAt: endsAt.toISOString() },
    });
    return { compId: comp.id, appId, plan, startsAt: now, endsAt, auditId };
  });
}
