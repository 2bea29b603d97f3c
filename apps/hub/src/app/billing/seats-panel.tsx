'use client';

import { formatPrice } from '@omg/contract';
import { fetchJson, useAction } from '@omg/platform/client';
import { useState } from 'react';

interface TPreview {
  fromExtra: number;
  toExtra: number;
  total: number;
  seatPriceCents: number;
  amountCents: number;
  onTrial: boolean;
}

const seatsWord = (n: number) => `${n} seat${n === 1 ? '' : 's'}`;

/**
 * A business account's seats (issue 15): used / included / extra, and for owners and admins "Add seats" or fewer:
 * the prorated amount is previewed by Stripe first and confirmed with that amount on the button. Fewer seats than
 * are in use is refused by the server ("Remove members first"), and the message is shown here.
 */
export function SeatsPanel({
  seats,
  canManage,
}: {
  seats: {
    planName: string;
    included: number;
    extra: number;
    total: number;
    used: number;
    members: number;
    pendingInvitations: number;
    seatPriceCents: number | null;
    canBuySeats: boolean;
  };
  canManage: boolean;
}) {
  const [extra, setExtra] = useState(seats.extra + 1);
  const [preview, setPreview] = useState<TPreview | null>(null);
  const review = useAction();
  const confirm = useAction({ leavesPage: true });
  const error = review.error ?? confirm.error;

  return (
    <section
      id="seats"
      className="mb-6 rounded-2xl border border-slate-200 bg-white p-6 shadow-sm scroll-mt-6"
      aria-labelledby="seats-heading"
      data-testid="seats-panel"
    >
      <h2 id="seats-heading" className="text-lg font-semibold">
        Seats
      </h2>
      <p className="mt-1 text-sm text-slate-700" data-testid="seats-summary">
        {seats.used} of {seats.total} seats in use ({seatsWord(seats.included)} included with {seats.planName}
        {seats.extra > 0 ? `, ${seats.extra} extra` : ''}).
        {seats.pendingInvitations > 0 &&
          ` ${seats.pendingInvitations} pending invitation${seats.pendingInvitations === 1 ? ' holds a seat' : 's hold seats'}.`}
      </p>
      {seats.seatPriceCents !== null && (
        <p className="mt-1 text-sm text-slate-500">
          Each extra seat is {formatPrice(seats.seatPriceCents)} a month, prorated.
        </p>
      )}
      {!canManage ? (
        <p className="mt-3 text-sm text-slate-500" data-testid="seats-read-only">
          Only owners and admins can change seats.
        </p>
      ) : seats.canBuySeats ? (
        <div className="mt-4 space-y-3">
          <form
            className="flex flex-wrap items-end gap-3"
            onSubmit={(event) => {
              event.preventDefault();
              setPreview(null);
              review.run(async () => {
                setPreview(
                  await fetchJson<TPreview>('/api/billing/seats/preview', {
                    method: 'POST',
                    body: { extraSeats: extra },
                    fallback: 'The seat change could not be priced.',
                  }),
                );
              });
            }}
          >
            <label className="text-sm text-slate-700">
              Extra seats
              <input
                type="number"
                min={0}
                max={10000}
                value={extra}
                onChange={(event) => {
                  setExtra(Math.max(0, Math.trunc(Number(event.target.value) || 0)));
                  setPreview(null);
                }}
                className="ml-2 w-24 rounded-md border border-slate-300 px-3 py-2 text-sm"
                data-testid="extra-seats-input"
              />
            </label>
            <button
              type="submit"
              disabled={review.pending || confirm.pending}
              className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60"
            >
              {review.pending ? 'Pricing…' : extra > seats.extra ? 'Add seats' : 'Change seats'}
            </button>
          </form>
          {preview && (
            <div className="rounded-lg bg-slate-50 p-3 text-sm text-slate-700" data-testid="seats-preview">
              <p>
                {seatsWord(seats.included + preview.fromExtra)} → {seatsWord(preview.total)}.{' '}
                {preview.onTrial
                  ? 'You are on your free trial: nothing is charged now.'
                  : preview.amountCents >= 0
                    ? `You pay ${formatPrice(preview.amountCents)} now for the rest of this billing period, then ${formatPrice(preview.seatPriceCents)} a seat a month.`
                    : `${formatPrice(-preview.amountCents)} for the unused part of this period is credited to your next invoices.`}
              </p>
              <button
                type="button"
                disabled={confirm.pending}
                onClick={() =>
                  confirm.run(async () => {
                    await fetchJson('/api/billing/seats', {
                      method: 'POST',
                      body: { extraSeats: preview.toExtra },
                      fallback: 'The seats could not be changed.',
                    });
                    window.location.reload();
                  })
                }
                className="mt-3 rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60"
                data-testid="confirm-seats"
              >
                {confirm.pending
                  ? 'Please wait…'
                  : preview.amountCents > 0 && !preview.onTrial
                    ? `Confirm — pay ${formatPrice(preview.amountCents)}`
                    : 'Confirm'}
              </button>
            </div>
          )}
          {error && (
            <p
              role="alert"
              className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700"
            >
              {error}
            </p>
          )}
        </div>
      ) : null}
    </section>
  );
}
