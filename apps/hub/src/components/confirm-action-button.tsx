'use client';

import { useAction } from '@omg/platform/client';
import { useState } from 'react';

const quiet =
  'rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100 disabled:opacity-60';
const danger =
  'rounded-md bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700 disabled:opacity-60';

/** A button that asks once more (remove, transfer, leave) and shows the action's error beside itself. */
export function ConfirmActionButton(props: {
  label: string;
  question: string;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  leavesPage?: boolean;
}) {
  const [confirming, setConfirming] = useState(false);
  const action = useAction({ leavesPage: props.leavesPage });
  async function confirm() {
    if (await action.run(props.onConfirm)) setConfirming(false);
  }
  return (
    <div className="min-w-0">
      {confirming ? (
        <div className="rounded-xl border border-red-200 bg-red-50 p-3 text-sm">
          <p className="text-red-900">{props.question}</p>
          <div className="mt-2 flex flex-wrap gap-2">
            <button type="button" disabled={action.pending} onClick={confirm} className={danger}>
              {action.pending ? 'Please wait…' : props.confirmLabel}
            </button>
            <button
              type="button"
              disabled={action.pending}
              onClick={() => setConfirming(false)}
              className={quiet}
            >
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button type="button" onClick={() => setConfirming(true)} className={quiet}>
          {props.label}
        </button>
      )}
      {action.error && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {action.error}
        </p>
      )}
    </div>
  );
}
