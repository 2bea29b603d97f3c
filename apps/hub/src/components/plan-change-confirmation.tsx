'use client';

import { formatBillingDay, formatBillingSummary, formatPrice } from '@omg/contract';
import { useEffect, useRef } from 'react';
import type { TPlanChangeConfirmation } from '@/lib/billing/describe-plan-change';

/** What was charged or credited for the change, in the customer's words. */
function chargedLine(c: TPlanChangeConfirmation): string {
  if (c.onTrial) return 'Nothing was charged: you are on your free trial.';
  if (c.chargedCents > 0)
    return `Charged ${formatPrice(c.chargedCents)} today for the rest of this billing period.`;
  if (c.chargedCents < 0)
    return `${formatPrice(-c.chargedCents)} for the unused part of this period is credited to your next invoices.`;
  return 'Nothing was charged today.';
}

/**
 * The end of every plan change (SPEC §5): what changed, what it charged or credited (Stripe's proration invoice)
 * and the next charge, before the customer goes back to where they came from. A dialog, so the other change
 * buttons behind it cannot be pressed again.
 */
export function PlanChangeConfirmation({
  confirmation: c,
  next,
}: {
  confirmation: TPlanChangeConfirmation;
  next: string;
}) {
  const continueLink = useRef<HTMLAnchorElement>(null);
  useEffect(() => continueLink.current?.focus(), []);
  const booked = c.effectiveAt ? formatBillingDay(new Date(c.effectiveAt)) : null;
  const summary = formatBillingSummary({
    discount: c.discount,
    nextCharge: c.nextCharge
      ? { amountCents: c.nextCharge.amountCents, at: new Date(c.nextCharge.at) }
      : null,
  });
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/40 p-4">
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="plan-change-title"
        className="w-full max-w-md rounded-2xl bg-white p-6 shadow-xl"
        data-testid="plan-change-confirmation"
      >
        <h2 id="plan-change-title" className="text-xl font-semibold tracking-tight">
          {booked ? 'Plan change booked' : 'Plan changed'}
        </h2>
        <p className="mt-3 text-slate-700" data-testid="plan-change-what">
          {c.productName}: {c.fromPlanName} → {c.toPlanName}
          {booked ? ` on ${booked}. You keep ${c.fromPlanName} until then.` : ', in force now.'}
        </p>
        <p className="mt-2 text-slate-700" data-testid="plan-change-charged">
          {chargedLine(c)}
        </p>
        {summary && (
          <p className="mt-2 font-medium text-slate-800" data-testid="plan-change-next">
            {summary}
          </p>
        )}
        <a
          ref={continueLink}
          href={next}
          className="mt-6 inline-block rounded-md bg-brand-600 px-5 py-2.5 font-medium text-white hover:bg-brand-700"
        >
          Continue
        </a>
      </div>
    </div>
  );
}
