/**
 * A billing date as both apps print it ("Jan 1, 2027"). Stripe's dates are instants; the calendar day is taken
 * in UTC so the Hub, SVD and the tests agree on it whatever the server's zone.
 */
export function formatBillingDay(date: Date): string {
  return date.toLocaleDateString('en-US', { dateStyle: 'medium', timeZone: 'UTC' });
}
