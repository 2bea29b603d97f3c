'use client';

import { fetchJson, useAction } from '@omg/platform/client';
import { useState } from 'react';

type TWhen = 'now' | 'period_end';

/**
 * Cancel offers both ways Stripe knows, each saying what happens: at the end of the period (access continues
 * until `accessUntil`, Resume undoes it; the portal's way), or now (access ends at once, nothing is refunded).
 * Ending now asks again first: it cannot be undone. Without a paid period to run out (a subscription provisioned
 * by our team, or one already booked to end), only ending now is offered.
 */
export function CancelSubscriptionButton({
  appId,
  productName,
  accessUntil,
}: {
  appId: string;
  productName: string;
  /** The formatted day access would end at the period's end; null when that is not on offer. */
  accessUntil: string | null;
}) {
  const [step, setStep] = useState<'closed' | 'choose' | 'confirm_now'>('closed');
  const cancel = useAction({ leavesPage: true });

  async function submit(when: TWhen) {
    const done = await cancel.run(async () => {
      await fetchJson('/api/billing/cancel', {
        method: 'POST',
        body: { appId, when },
        fallback: 'The subscription could not be canceled.',
      });
      window.location.reload();
    });
    // The error shows beside the card's actions, not in a dialog that would hide it.
    if (!done) setStep('closed');
  }

  const secondary = 'rounded-md border border-slate-300 px-4 py-2 text-sm disabled:opacity-60';
  return (
    <>
      <button
        type="button"
        onClick={() => setStep(accessUntil ? 'choose' : 'confirm_now')}
        className="rounded-md border border-rose-200 px-4 py-2 text-sm font-medium text-rose-700 hover:bg-rose-50"
      >
        Cancel
      </button>
      {cancel.error && (
        <p
          role="alert"
          className="order-last w-full rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700"
        >
          {cancel.error}
        </p>
      )}
      {step !== 'closed' && (
        <div className="fixed inset-0 z-50 grid place-items-center bg-slate-900/40 p-4" role="presentation">
          <div
            role="dialog"
            aria-modal="true"
            aria-labelledby={`cancel-${appId}-title`}
            className="w-full max-w-md rounded-2xl bg-white p-6 shadow-xl"
          >
            {step === 'choose' ? (
              <>
                <h2 id={`cancel-${appId}-title`} className="text-lg font-semibold">
                  Cancel {productName}?
                </h2>
                <div className="mt-4 grid gap-3">
                  <button
                    type="button"
                    disabled={cancel.pending}
                    onClick={() => submit('period_end')}
                    className="rounded-lg border border-slate-300 p-4 text-left hover:bg-slate-50 disabled:opacity-60"
                  >
                    <span className="block font-medium">Cancel at the end of the period</span>
                    <span className="mt-1 block text-sm text-slate-600">
                      Keep access until {accessUntil}. Nothing more is charged, and you can resume until then.
                    </span>
                  </button>
                  <button
                    type="button"
                    disabled={cancel.pending}
                    onClick={() => setStep('confirm_now')}
                    className="rounded-lg border border-rose-200 p-4 text-left hover:bg-rose-50 disabled:opacity-60"
                  >
                    <span className="block font-medium text-rose-700">End now</span>
                    <span className="mt-1 block text-sm text-slate-600">
                      Access ends immediately. The rest of this period is not refunded.
                    </span>
                  </button>
                </div>
                <div className="mt-6 flex justify-end">
                  <button
                    type="button"
                    disabled={cancel.pending}
                    onClick={() => setStep('closed')}
                    className={secondary}
                  >
                    Keep subscription
                  </button>
                </div>
              </>
            ) : (
              <>
                <h2 id={`cancel-${appId}-title`} className="text-lg font-semibold">
                  End {productName} now? Access ends now.
                </h2>
                <p className="mt-2 text-sm text-slate-600">
                  Paid features stop right away, nothing more is charged and the rest of this period is not
                  refunded. Your documents stay readable, and you can subscribe again at any time.
                </p>
                <div className="mt-6 flex justify-end gap-3">
                  <button
                    type="button"
                    disabled={cancel.pending}
                    onClick={() => setStep('closed')}
                    className={secondary}
                  >
                    Keep subscription
                  </button>
                  <button
                    type="button"
                    disabled={cancel.pending}
                    onClick={() => submit('now')}
                    className="rounded-md bg-rose-600 px-4 py-2 text-sm font-medium text-white hover:bg-rose-700 disabled:opacity-60"
                  >
                    {cancel.pending ? 'Ending…' : 'Yes, end now'}
                  </button>
                </div>
              </>
            )}
          </div>
        </div>
      )}
    </>
  );
}
