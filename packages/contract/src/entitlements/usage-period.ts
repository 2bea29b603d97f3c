import type { TEntitlement } from './resolve-entitlement';

/**
 * Start of the period processing units are counted in (SPEC §3): the current billing period when the Hub knows
 * it (monthly, ending at `currentPeriodEnd`), otherwise the calendar month (UTC) — always for the trial.
 */
export function usagePeriodStart(
  entitlement: Pick<TEntitlement, 'plan' | 'currentPeriodEnd'>,
  now: Date,
): Date {
  const end = entitlement.currentPeriodEnd;
  if (entitlement.plan !== 'trial' && end) {
    const start = new Date(end);
    start.setUTCMonth(start.getUTCMonth() - 1);
    while (start > now) start.setUTCMonth(start.getUTCMonth() - 1);
    while (addMonth(start) <= now) start.setUTCMonth(start.getUTCMonth() + 1);
    return start;
  }
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

function addMonth(date: Date): Date {
  const next = new Date(date);
  next.setUTCMonth(next.getUTCMonth() + 1);
  return next;
}
