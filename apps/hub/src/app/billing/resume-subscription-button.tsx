'use client';

import { fetchJson, useAction } from '@omg/platform/client';

/** Takes back a cancellation booked for the end of the period; the page reloads to show the renewal again. */
export function ResumeSubscriptionButton({ appId }: { appId: string }) {
  const resume = useAction({ leavesPage: true });

  return (
    <>
      <button
        type="button"
        disabled={resume.pending}
        onClick={() =>
          resume.run(async () => {
            await fetchJson('/api/billing/resume', {
              method: 'POST',
              body: { appId },
              fallback: 'The subscription could not be resumed.',
            });
            window.location.reload();
          })
        }
        className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {resume.pending ? 'Please wait…' : 'Resume'}
      </button>
      {resume.error && (
        <p
          role="alert"
          className="order-last w-full rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700"
        >
          {resume.error}
        </p>
      )}
    </>
  );
}
