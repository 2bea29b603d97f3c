'use client';

import { FetchJsonError, fetchJson, useAction } from '@omg/platform/client';
import { useState } from 'react';
import { PaymentMethodsButton } from '@/app/billing/payment-methods-button';
import type { TPlanChangeConfirmation } from '@/lib/billing/describe-plan-change';
import { PlanChangeConfirmation } from './plan-change-confirmation';

/** Confirms a plan change; the Hub charges or credits the difference and the new plan applies at once. */
export function ChangePlanButton(props: {
  productId: string;
  plan: string;
  next: string;
  label: string;
  when?: 'now' | 'period_end';
  secondary?: boolean;
}) {
  const change = useAction({ leavesPage: true });
  // A declined charge (402) changed nothing: the customer needs a way to fix the card, then this button again.
  const [declined, setDeclined] = useState(false);
  // Shown before leaving: the customer reads what changed, what it cost and the next charge, then continues.
  const [confirmation, setConfirmation] = useState<TPlanChangeConfirmation | null>(null);
  return (
    <div>
      <button
        type="button"
        disabled={change.pending}
        onClick={() =>
          change.run(async () => {
            setDeclined(false);
            let answer: { confirmation: TPlanChangeConfirmation };
            try {
              answer = await fetchJson<{ confirmation: TPlanChangeConfirmation }>(
                '/api/billing/change-plan',
                {
                  method: 'POST',
                  body: { productId: props.productId, plan: props.plan, when: props.when },
                  fallback: 'The plan could not be changed.',
                },
              );
            } catch (error) {
              setDeclined(error instanceof FetchJsonError && error.code === 'PAYMENT_REQUIRED');
              throw error;
            }
            setConfirmation(answer.confirmation);
          })
        }
        className={
          props.secondary
            ? 'w-full rounded-md border border-slate-300 bg-white px-4 py-3 font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60'
            : 'w-full rounded-md bg-brand-600 px-4 py-3 font-medium text-white hover:bg-brand-700 disabled:opacity-60'
        }
      >
        {change.pending ? 'Changing your plan…' : props.label}
      </button>
      {change.error && (
        <p
          role="alert"
          className="mt-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700"
          data-testid="change-plan-error"
        >
          {change.error}
          {declined && ' Update your card, then try again.'}
        </p>
      )}
      {confirmation && <PlanChangeConfirmation confirmation={confirmation} next={props.next} />}
      {change.error && declined && (
        <div className="mt-3 flex flex-wrap gap-3">
          <PaymentMethodsButton label="Update card" />
        </div>
      )}
    </div>
  );
}
