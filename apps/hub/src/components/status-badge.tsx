import type { TPlanState, TPlanStateKind } from '@omg/contract';

const TONES: Record<TPlanStateKind, string> = {
  not_subscribed: 'bg-slate-100 text-slate-600',
  trial: 'bg-sky-50 text-sky-700',
  trial_ended: 'bg-slate-100 text-slate-600',
  active: 'bg-emerald-50 text-emerald-700',
  canceling: 'bg-amber-50 text-amber-700',
  past_due: 'bg-amber-50 text-amber-700',
  canceled: 'bg-rose-50 text-rose-700',
};

/** The customer's state for one app, in the contract's words (`describePlanState`), the same as SVD's. */
export function StatusBadge({ state }: { state: Pick<TPlanState, 'kind' | 'status'> }) {
  return (
    <span
      className={`inline-flex rounded-full px-2.5 py-0.5 text-xs font-medium ${TONES[state.kind]}`}
      data-testid="app-status"
    >
      {state.status}
    </span>
  );
}
