'use client';

import { FetchJsonError, fetchJson, useAction } from '@omg/platform/client';
import { useRouter } from 'next/navigation';
import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import type { TSupportActionsState } from '@/lib/admin/load-support-actions-state';

type TRole = 'support' | 'admin';

const quiet =
  'rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100 disabled:opacity-60';
const primary =
  'rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60';
const danger =
  'rounded-md bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700 disabled:opacity-60';
const field =
  'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100';

const day = (iso: string) =>
  new Date(iso).toLocaleDateString('en-US', { dateStyle: 'medium', timeZone: 'UTC' });

const money = (cents: number, currency: string) =>
  `${new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(cents / 100)} ${currency.toUpperCase()}`;

/** A stale console session: the route asks for the password again (RECENT_SIGN_IN_REQUIRED). */
function explain(error: unknown, customerId: string): string {
  if (error instanceof FetchJsonError && error.status === 403) {
    return `${error.message} Open /admin/confirm?next=/admin/customers/${customerId} and try again.`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Posts to one of the customer's support-action routes; rejects with the route's error in words. */
type TPost = (path: string, body: object) => Promise<Record<string, unknown>>;

interface TDialogProps {
  title: string;
  /** What will happen, in words (with the amount for money). */
  children?: ReactNode;
  confirmLabel: string;
  tone?: 'primary' | 'danger';
  /** Disables the confirmation (e.g. nothing left to refund). */
  blocked?: boolean;
  /** Sends the action with the reason (and the dialog's own fields); resolves to the result in words. */
  submit: (reason: string, form: FormData) => Promise<string>;
  onClose: () => void;
}

/**
 * The one dialog of every support action: what will happen, the required reason (3-500 characters, as the API
 * checks), progress, the error or the result; on success the page is refreshed behind it.
 */
function ActionDialog(props: TDialogProps) {
  const titleId = useId();
  const router = useRouter();
  const action = useAction();
  const [result, setResult] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const reason = String(form.get('reason') ?? '').trim();
    if (reason.length < 3) {
      action.setError('Give a reason of at least 3 characters.');
      return;
    }
    await action.run(async () => {
      setResult(await props.submit(reason, form));
      router.refresh();
    });
  }

  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/40 p-4">
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        className="max-h-[90vh] w-full max-w-lg overflow-y-auto rounded-2xl bg-white p-5 shadow-xl"
      >
        <h3 id={titleId} className="text-lg font-semibold">
          {props.title}
        </h3>
        {result ? (
          <div className="mt-4 space-y-4">
            <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
              {result}
            </p>
            <button type="button" className={primary} onClick={props.onClose}>
              Done
            </button>
          </div>
        ) : (
          <form onSubmit={onSubmit} noValidate className="mt-3 space-y-4">
            <div className="space-y-3 text-sm text-slate-700">{props.children}</div>
            <label className="block">
              <span className="mb-1 block text-sm font-medium text-slate-700">
                Reason (kept in the audit log)
              </span>
              <textarea name="reason" required minLength={3} maxLength={500} rows={3} className={field} />
            </label>
            {action.error && (
              <p
                role="alert"
                className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700"
              >
                {action.error}
              </p>
            )}
            <div className="flex flex-wrap gap-2">
              <button
                type="submit"
                disabled={action.pending || props.blocked}
                className={props.tone === 'danger' ? danger : primary}
              >
                {action.pending ? 'Working…' : props.confirmLabel}
              </button>
              <button type="button" disabled={action.pending} onClick={props.onClose} className={quiet}>
                Cancel
              </button>
            </div>
          </form>
        )}
      </div>
    </div>
  );
}

interface TLastPayment {
  chargeId: string;
  amountCents: number;
  refundableCents: number;
  currency: string;
  createdAt: string;
  appId: string | null;
}

/** The props of an action with a dialog of its own (it reads or chooses more before sending). */
interface TOwnDialogProps {
  state: TSupportActionsState;
  post: TPost;
  onClose: () => void;
}

/** Refund: the last payment is read from Stripe first, so the confirmation names the amount and currency. */
function RefundDialog({ state, post, onClose }: TOwnDialogProps) {
  const [payment, setPayment] = useState<TLastPayment | null | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    fetchJson<{ payment: TLastPayment | null }>(`/api/admin/customers/${state.customerId}/refund`, {
      fallback: 'The last payment could not be read from Stripe.',
    })
      .then((answer) => setPayment(answer.payment))
      .catch((error: unknown) => setProblem(explain(error, state.customerId)));
  }, [state.customerId]);
  const product = state.products.find((p) => p.appId === payment?.appId);
  const amount = payment ? money(payment.refundableCents, payment.currency) : '';
  return (
    <ActionDialog
      title="Refund the last payment"
      tone="danger"
      confirmLabel={payment && payment.refundableCents > 0 ? `Refund ${amount}` : 'Refund'}
      blocked={!payment || payment.refundableCents <= 0}
      onClose={onClose}
      submit={async (reason, form) => {
        if (!payment) throw new Error('There is no payment to refund.');
        const answer = await post('refund', {
          chargeId: payment.chargeId,
          endAccess: form.get('endAccess') === 'on',
          reason,
        });
        return `Refunded ${money(Number(answer.refundedCents), String(answer.currency))}${answer.canceled ? '; the subscription is canceled' : ''}.`;
      }}
    >
      {problem ? <p role="alert">{problem}</p> : null}
      {payment === undefined && !problem ? <p>Reading the last payment from Stripe…</p> : null}
      {payment === null ? <p>This customer has made no payment.</p> : null}
      {payment ? (
        <>
          <p data-testid="refund-amount">
            Last payment: <strong>{money(payment.amountCents, payment.currency)}</strong> on{' '}
            {day(payment.createdAt)}
            {product ? ` for ${product.name}` : ''}.
          </p>
          {payment.refundableCents <= 0 ? (
            <p className="font-medium text-red-700">It was already refunded in full.</p>
          ) : (
            <p>
              <strong>{amount}</strong> goes back to the customer's card. This cannot be undone.
            </p>
          )}
          {product ? (
            <label className="flex items-center gap-2">
              <input type="checkbox" name="endAccess" />
              Also end access: cancel {product.name} now
            </label>
          ) : null}
        </>
      ) : null}
    </ActionDialog>
  );
}

const DURATIONS = [
  { id: '7d', label: '7 days', add: (d: Date) => d.setUTCDate(d.getUTCDate() + 7) },
  { id: '1m', label: '1 month', add: (d: Date) => d.setUTCMonth(d.getUTCMonth() + 1) },
  { id: '3m', label: '3 months', add: (d: Date) => d.setUTCMonth(d.getUTCMonth() + 3) },
  { id: '6m', label: '6 months', add: (d: Date) => d.setUTCMonth(d.getUTCMonth() + 6) },
  { id: '12m', label: '1 year', add: (d: Date) => d.setUTCDate(d.getUTCDate() + 365) },
] as const;

function compEnd(duration: string): Date {
  const end = new Date();
  (DURATIONS.find((d) => d.id === duration) ?? DURATIONS[1]).add(end);
  return end;
}

/** One labelled choice of the comp dialog. */
function SelectField(props: {
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
}) {
  return (
    <label className="block">
      <span className="mb-1 block font-medium">{props.label}</span>
      <select className={field} value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Comp: a plan of a product, free until a chosen end (at most a year). */
function CompDialog({ state, post, onClose }: TOwnDialogProps) {
  const [appId, setAppId] = useState(state.products[0]?.appId ?? '');
  const product = state.products.find((p) => p.appId === appId);
  const [plan, setPlan] = useState(
    product?.plans.find((p) => p.id === 'pro')?.id ?? product?.plans[0]?.id ?? '',
  );
  const [duration, setDuration] = useState('1m');
  const planName = product?.plans.find((p) => p.id === plan)?.name ?? plan;
  return (
    <ActionDialog
      title="Comp a plan"
      confirmLabel={`Comp ${planName}`}
      onClose={onClose}
      submit={async (reason) => {
        const answer = await post('comps', { appId, plan, endsAt: compEnd(duration).toISOString(), reason });
        return `${product?.name ?? appId} ${planName} is comped until ${day(String(answer.endsAt))}.`;
      }}
    >
      <SelectField
        label="Product"
        value={appId}
        options={state.products.map((p) => ({ value: p.appId, label: p.name }))}
        onChange={(next) => {
          setAppId(next);
          setPlan(state.products.find((p) => p.appId === next)?.plans[0]?.id ?? '');
        }}
      />
      <SelectField
        label="Plan"
        value={plan}
        options={(product?.plans ?? []).map((p) => ({ value: p.id, label: p.name }))}
        onChange={setPlan}
      />
      <SelectField
        label="For"
        value={duration}
        options={DURATIONS.map((d) => ({ value: d.id, label: d.label }))}
        onChange={setDuration}
      />
      <p>
        {state.email} gets {product?.name} {planName} free until about {day(compEnd(duration).toISOString())}.
        It ends by itself; billing and reconciliation do not touch it.
      </p>
    </ActionDialog>
  );
}

type TOpen =
  | { kind: 'end-sessions' }
  | { kind: 'resend'; email: 'verification' | 'claim' }
  | { kind: 'cancel'; appId: string }
  | { kind: 'refund' }
  | { kind: 'comp' }
  | { kind: 'revoke'; compId: string }
  | { kind: 'reconcile' }
  | { kind: 'ban' }
  | { kind: 'unban' };

/** What an action's dialog says and sends: everything of ActionDialog but closing. */
type TActionDialogSpec = Omit<TDialogProps, 'onClose'>;

/**
 * Each action with a plain dialog, in one place: its title, what it will do, its confirmation and what it sends
 * (refund and comp read or choose more first: RefundDialog, CompDialog).
 */
function dialogOf(
  open: Exclude<TOpen, { kind: 'refund' | 'comp' }>,
  state: TSupportActionsState,
  post: TPost,
): TActionDialogSpec {
  switch (open.kind) {
    case 'end-sessions':
      return {
        title: 'End all sessions',
        confirmLabel: 'End all sessions',
        tone: 'danger',
        submit: async (reason) => {
          const answer = await post('end-sessions', { reason });
          return `Ended ${answer.ended} session(s). SecureVault Docs refuses them on the next request.`;
        },
        children: <p>{state.email} is signed out of the Hub and every app, on every device.</p>,
      };
    case 'resend':
      return {
        title: open.email === 'verification' ? 'Resend the verification email' : 'Resend the claim email',
        confirmLabel: 'Send',
        submit: async (reason) => {
          const answer = await post('resend-email', { kind: open.email, reason });
          return `Queued to ${answer.to}.`;
        },
        children: (
          <p>
            {open.email === 'verification'
              ? `A new confirmation link goes to ${state.email}.`
              : `A new set-your-password link goes to ${state.email}; any earlier link stops working.`}
          </p>
        ),
      };
    case 'cancel': {
      const s = state.subscriptions.find((x) => x.live && x.appId === open.appId);
      const atPeriodEnd = Boolean(s?.managedByStripe && !s.cancelAtPeriodEnd);
      return {
        title: `Cancel ${s?.appName ?? open.appId}`,
        confirmLabel: 'Cancel subscription',
        tone: 'danger',
        submit: async (reason, form) => {
          const when = form.get('when') === 'period_end' ? 'period_end' : 'now';
          await post('cancel-subscription', { appId: open.appId, when, reason });
          return when === 'now'
            ? `${s?.appName} is canceled; access ended now.`
            : `${s?.appName} ends at the end of the paid period.`;
        },
        children: (
          <>
            <p>
              {s?.appName} {s?.planName}. Nothing is refunded by cancelling.
            </p>
            <label className="flex items-center gap-2">
              <input type="radio" name="when" value="now" defaultChecked={!atPeriodEnd} />
              Now (access ends at once)
            </label>
            <label className="flex items-center gap-2">
              <input
                type="radio"
                name="when"
                value="period_end"
                disabled={!atPeriodEnd}
                defaultChecked={atPeriodEnd}
              />
              At the end of the paid period
              {!atPeriodEnd ? ' (not available for this subscription)' : ''}
            </label>
          </>
        ),
      };
    }
    case 'revoke':
      return {
        title: 'Revoke the comp',
        confirmLabel: 'Revoke comp',
        tone: 'danger',
        submit: async (reason) => {
          await post(`comps/${open.compId}/revoke`, { reason });
          return 'The comp has ended; the customer is back on their own plan.';
        },
        children: <p>The customer loses the comped plan on their next request.</p>,
      };
    case 'reconcile':
      return {
        title: 'Run reconciliation',
        confirmLabel: 'Run reconciliation',
        submit: async (reason) => {
          const answer = await post('reconcile', { reason });
          return (answer.summary as string[]).join(' ');
        },
        children: (
          <p>
            Compares this customer's subscriptions with Stripe and repairs what differs. Nothing is written to
            Stripe.
          </p>
        ),
      };
    case 'ban':
      return {
        title: 'Ban this customer',
        confirmLabel: 'Ban',
        tone: 'danger',
        submit: async (reason) => {
          const answer = await post('ban', { reason });
          return `Banned; ${answer.sessionsEnded} session(s) ended. Only an admin can lift it.`;
        },
        children: (
          <p>
            {state.email} is signed out everywhere and cannot sign in (password, passkey or link) until an
            admin unbans the account.
          </p>
        ),
      };
    case 'unban':
      return {
        title: 'Unban this customer',
        confirmLabel: 'Unban',
        submit: async (reason) => {
          await post('unban', { reason });
          return 'The customer can sign in again.';
        },
        children: <p>{state.email} can sign in again at once.</p>,
      };
  }
}

/** The action buttons, in their order, each shown only where the action applies to this customer and staff role. */
function buttonsOf(state: TSupportActionsState, isAdmin: boolean): { label: string; open: TOpen }[] {
  const buttons: { label: string; open: TOpen; shown: boolean }[] = [
    { label: 'End all sessions', open: { kind: 'end-sessions' }, shown: true },
    {
      label: 'Resend verification email',
      open: { kind: 'resend', email: 'verification' },
      shown: !state.emailVerified && !state.deleted,
    },
    {
      label: 'Resend claim email',
      open: { kind: 'resend', email: 'claim' },
      shown: !state.hasPassword && !state.deleted,
    },
    ...state.subscriptions
      .filter((s) => s.live)
      .map((s) => ({
        label: `Cancel ${s.appName}…`,
        open: { kind: 'cancel' as const, appId: s.appId },
        shown: true,
      })),
    { label: 'Refund last payment…', open: { kind: 'refund' }, shown: isAdmin },
    { label: 'Comp a plan…', open: { kind: 'comp' }, shown: isAdmin && !state.deleted },
    { label: 'Run reconciliation', open: { kind: 'reconcile' }, shown: true },
    { label: 'Ban…', open: { kind: 'ban' }, shown: !state.ban && !state.deleted && state.role === 'user' },
    { label: 'Unban…', open: { kind: 'unban' }, shown: Boolean(state.ban) && isAdmin },
  ];
  return buttons.filter((button) => button.shown);
}

/** A button's React key: its action, and the subscription's app for a cancel. */
const keyOf = (open: TOpen) => (open.kind === 'cancel' ? `cancel:${open.appId}` : open.kind);

/**
 * The customer page's support actions (issue 14): each asks for a reason in a dialog, confirms what it will do
 * (the amount, for money), and writes one audit entry. Admin-only actions (refund, comp, revoke, unban) are not
 * offered to support; the API refuses them anyway.
 */
export function SupportActions({ state, staffRole }: { state: TSupportActionsState; staffRole: TRole }) {
  const [open, setOpen] = useState<TOpen | null>(null);
  const close = () => setOpen(null);
  const isAdmin = staffRole === 'admin';
  const post: TPost = (path, body) =>
    fetchJson<Record<string, unknown>>(`/api/admin/customers/${state.customerId}/${path}`, {
      method: 'POST',
      body,
      fallback: 'The action could not be carried out.',
    }).catch((error: unknown) => {
      throw new Error(explain(error, state.customerId));
    });

  return (
    <div
      className="min-w-0 rounded-2xl border border-slate-200 bg-white px-4 py-4 sm:px-6"
      data-testid="support-actions"
    >
      {state.ban ? (
        <p
          className="mb-3 rounded-xl bg-rose-50 px-4 py-2 text-sm text-rose-800"
          data-testid="customer-banned"
        >
          Banned since {day(state.ban.at)}
          {state.ban.reason ? `: ${state.ban.reason}` : ''}. Signing in is refused.
        </p>
      ) : null}
      {state.comps.length > 0 ? (
        <ul className="mb-3 space-y-2 text-sm" aria-label="Comps">
          {state.comps.map((c) => (
            <li
              key={c.id}
              className="flex flex-wrap items-center justify-between gap-2 rounded-xl bg-amber-50 px-4 py-2"
              data-testid="customer-comp"
            >
              <span>
                <span className="rounded-full bg-amber-200 px-2 py-0.5 text-xs font-semibold text-amber-900">
                  comped
                </span>{' '}
                {c.appName} {c.planName} until {day(c.endsAt)}
              </span>
              {isAdmin ? (
                <button
                  type="button"
                  className={quiet}
                  onClick={() => setOpen({ kind: 'revoke', compId: c.id })}
                >
                  Revoke comp
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="flex flex-wrap gap-2">
        {buttonsOf(state, isAdmin).map((button) => (
          <button
            key={keyOf(button.open)}
            type="button"
            className={quiet}
            onClick={() => setOpen(button.open)}
          >
            {button.label}
          </button>
        ))}
      </div>

      {open?.kind === 'refund' ? <RefundDialog state={state} post={post} onClose={close} /> : null}
      {open?.kind === 'comp' ? <CompDialog state={state} post={post} onClose={close} /> : null}
      {open && open.kind !== 'refund' && open.kind !== 'comp' ? (
        // Keyed by the action, so no dialog's progress or result is carried over to another's.
        <ActionDialog key={keyOf(open)} {...dialogOf(open, state, post)} onClose={close} />
      ) : null}
    </div>
  );
}
