import type { Readable } from 'node:stream';
import { AppError } from '@omg/platform';
import { type CsvError, parse } from 'csv-parse';
import {
  SVD_EXPORT_COLUMNS,
  SVD_EXPORT_REQUIRED_COLUMNS,
  type TSvdExportColumn,
  type TSvdExportRow,
  ZSvdExportRowSchema,
} from './svd-export-row';

/** A line of the export: a valid row to migrate, or why it cannot be (and the email, when one could be read). */
export type TSvdExportRecord =
  | { line: number; row: TSvdExportRow }
  | { line: number; email: string | null; reason: string };

function readHeader(cells: string[]): TSvdExportColumn[] {
  const names = cells.map((cell) => cell.trim().toLowerCase());
  const known = new Set<string>(SVD_EXPORT_COLUMNS);
  const unknown = names.filter((name) => !known.has(name));
  const missing = SVD_EXPORT_REQUIRED_COLUMNS.filter((column) => !names.includes(column));
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  // A misspelt or missing column would silently drop data from every row: the whole file is refused instead.
  if (unknown.length > 0 || missing.length > 0 || repeated.length > 0) {
    const problems = [
      missing.length > 0 && `missing ${missing.join(', ')}`,
      unknown.length > 0 && `unknown ${unknown.join(', ')}`,
      repeated.length > 0 && `repeated ${repeated.join(', ')}`,
    ].filter(Boolean);
    throw new AppError(
      'BAD_REQUEST',
      `The export's header is not usable (${problems.join('; ')}). Expected the columns ${SVD_EXPORT_COLUMNS.join(', ')}.`,
    );
  }
  return names as TSvdExportColumn[];
}

const describeIssues = (issues: { path: PropertyKey[]; message: string }[]) =>
  issues.map((issue) => `${String(issue.path[0] ?? 'row')} ${issue.message}`).join('; ');

/**
 * Reads an SVD export as a stream (never the whole file in memory): the header names the columns (any order),
 * a BOM and CRLF line ends are fine, quoted cells may hold commas and quotes. Yields every data line, valid or
 * not, with its line number, so one bad line never stops the others. The same email, Stripe customer or Stripe
 * subscription on a second line is refused there, naming the line that had it first.
 */
export async function* readSvdExport(source: Readable): AsyncGenerator<TSvdExportRecord> {
  const malformed: TSvdExportRecord[] = [];
  const parser = source.pipe(
    parse({
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error: CsvError | undefined) => {
        const line = typeof error?.lines === 'number' ? error.lines : 0;
        malformed.push({ line, email: null, reason: `not readable as CSV: ${error?.message ?? 'unknown'}` });
        return undefined;
      },
    }),
  );
  source.on('error', (error) => parser.destroy(error));

  let header: TSvdExportColumn[] | null = null;
  const firstLineOf = {
    email: new Map<string, number>(),
    customer: new Map<string, number>(),
    subscription: new Map<string, number>(),
  };

  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>) {
    yield* malformed.splice(0);
    if (!header) {
      header = readHeader(record);
      continue;
    }
    const line = info.lines;
    const cells: Partial<Record<TSvdExportColumn, string>> = {};
    for (const [index, column] of header.entries()) cells[column] = record[index] ?? '';
    const email = cells.email?.trim().toLowerCase() || null;
    if (record.length !== header.length) {
      yield { line, email, reason: `has ${record.length} fields, the header has ${header.length}` };
      continue;
    }
    const parsed = ZSvdExportRowSchema.safeParse(cells);
    if (!parsed.success) {
      yield { line, email, reason: describeIssues(parsed.error.issues) };
      continue;
    }
    const row = parsed.data;
    const repeats = [
      ['email', firstLineOf.email, row.email],
      ['stripe_customer_id', firstLineOf.customer, row.stripeCustomerId],
      ['stripe_subscription_id', firstLineOf.subscription, row.stripeSubscriptionId],
    ] as const;
    const repeated = repeats.find(([, seen, value]) => value !== undefined && seen.has(value));
    if (!repeated) for (const [, seen, value] of repeats) if (value !== undefined) seen.set(value, line);
    if (repeated) {
      const [column, seen, value] = repeated;
      yield { line, email, reason: `${column} ${value} is already on line ${seen.get(value ?? '')}` };
      continue;
    }
    yield { line, row };
  }
  yield* malformed.splice(0);
  if (!header) throw new AppError('BAD_REQUEST', 'The export is empty: not even a header line.');
}
