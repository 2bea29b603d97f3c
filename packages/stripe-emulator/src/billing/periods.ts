export type Interval = 'day' | 'week' | 'month' | 'year' | (string & {});

/** Calendar arithmetic in UTC; month ends clamp (Jan 31 + 1 month = Feb 28/29), as Stripe bills. */
export function addInterval(timestamp: number, interval: Interval, count: number): number {
  const date = new Date(timestamp * 1000);
  if (interval === 'day') return timestamp + count * 86_400;
  if (interval === 'week') return timestamp + count * 7 * 86_400;
  const months = interval === 'year' ? count * 12 : count;
  const day = date.getUTCDate();
  const target = new Date(date.getTime());
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return Math.floor(target.getTime() / 1000);
}

/** The first period boundary after `after`, counted from the anchor so short months do not drift the day. */
export function nextBoundary(anchor: number, interval: Interval, count: number, after: number): number {
  let k = 1;
  let boundary = addInterval(anchor, interval, count);
  while (boundary <= after) {
    k += 1;
    boundary = addInterval(anchor, interval, count * k);
  }
  return boundary;
}
