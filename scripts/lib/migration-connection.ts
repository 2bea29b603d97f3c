/**
 * The connection `npm run svd:migrate` (and its benchmark) uses: every line of the export is its own transaction
 * and safe to migrate again, so a crash losing the last moments of commits costs a re-run, not data. Not waiting
 * for each commit's WAL flush (`synchronous_commit=off`, for these connections only) is what lets 100,000
 * one-line transactions finish in a minute. Set as a start-up option, so it costs no extra round trip.
 */
export function migrationDatabaseUrl(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', '-c synchronous_commit=off');
  return parsed.toString();
}
