import { stringify } from 'csv-stringify/sync';
import { describeActivityDetails } from './describe-activity-details';
import type { TTeamActivityEntry } from './list-team-activity';

/**
 * A spreadsheet runs a cell that starts with one of these as a formula (CSV injection); document names are the
 * members' own words, so such text is written with a leading apostrophe, shown as text and never evaluated.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const safe = (value: string | null) =>
  value === null ? '' : FORMULA_START.test(value) ? `'${value}` : value;

/** The log as RFC 4180 CSV for an auditor: one line per entry, UTC times, every text cell injection-safe. */
export function teamActivityToCsv(entries: TTeamActivityEntry[]): string {
  return stringify(
    [
      [
        'Time (UTC)',
        'Member',
        'Member id',
        'Action',
        'Document or vault',
        'Document id',
        'Vault id',
        'Address',
        'Details',
      ],
      ...entries.map((e) => [
        e.createdAt,
        safe(e.email),
        e.userId,
        e.action,
        safe(e.subject),
        e.documentId ?? '',
        e.vaultId ?? '',
        e.ipAddress ?? '',
        safe(describeActivityDetails(e.details)),
      ]),
    ],
    { record_delimiter: '\r\n' },
  );
}
