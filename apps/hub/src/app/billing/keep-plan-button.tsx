'use client';

import { fetchJson, useAction } from '@omg/platform/client';

/** Undoes a booked downgrade: the current plan stays, and the page reloads to show it without the notice. */
export function KeepPlanButton({ appId, planName }: { appId: string; planName: string }) {
  const keep = useAction({ leavesPage: true });

  return (
    <>
      <button
        type="button"
        disabled={keep.pending}
        onClick={() =>
          keep.run(async () => {
            await fetchJson('/api/billing/keep-plan', {
              method: 'POST',
              body: { productId: appId },
              fallback: 'The plan change could not be undone.',
            });
            window.location.reload();
          })
        }
        className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60"
      >
        {keep.pending ? 'Please wait…' : `Keep ${planName}`}
      </button>
      {keep.error && (
        <p
          role="alert"
          className="order-last w-full rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700"
        >
          {keep.error}
        </p>
      )}
    </>
  );
}
