'use client';

import { fetchJson, useAction } from '@omg/platform/client';
import { useState } from 'react';

/** Asks first (access ends now, there is no undo), then cancels and reloads so the card shows the result. */
export function CancelSubscriptionButton({ appId, productName }: { appId: string; productName: string }) {
  const [open, setOpen] = useState(false);
  const cancel = useAction({ leavesPage: true });

  async function confirm() {
    const canceled = await cancel.run(async () => {
      await fetchJson('/api/billing/cancel', {
        method: 'POST',
        body: { appId },
        fallback: 'The subscription could not be canceled.',
      });
      window.location.reload();
    });
    // The error shows beside the card's actions, not in a dialog that would hide it.
    if (!canceled) setOpen(false);
  }

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
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
      {open && (
        <div className="fixed inset-0 z-50 grid place-items-center bg-slate-900/40 p-4" role="presentation">
          <div
            role="dialog"
            aria-modal="true"
            aria-labelledby={`cancel-${appId}-title`}
            className="w-full max-w-md rounded-2xl bg-white p-6 shadow-xl"
          >
            <h2 id={`cancel-${appId}-title`} className="text-lg font-semibold">
              Cancel {productName}? Access ends now.
            </h2>
            <p className="mt-2 text-sm text-slate-600">
              Paid features stop right away and nothing more is charged. Your documents stay readable, and you
              can subscribe again at any time.
            </p>
            <div className="mt-6 flex justify-end gap-3">
              <button
                type="button"
                disabled={cancel.pending}
                onClick={() => setOpen(false)}
                className="rounded-md border border-slate-300 px-4 py-2 text-sm"
              >
                Keep subscription
              </button>
              <button
                type="button"
                disabled={cancel.pending}
                onClick={confirm}
                className="rounded-md bg-rose-600 px-4 py-2 text-sm font-medium text-white hover:bg-rose-700 disabled:opacity-60"
              >
                {cancel.pending ? 'Canceling…' : 'Cancel subscription'}
              </button>
            </div>
          </div>
        </div>
      )}
    </>
  );
}
