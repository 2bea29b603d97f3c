/**
 * An activity entry's details in one line for the page and the CSV ("to: a@example.com, b@example.com; memberIds:
 * …"): what an auditor needs beside the subject — a rename's former name, a move's from and to, the members a
 * vault was limited to. Empty when there are none.
 */
export function describeActivityDetails(details: Record<string, string> | null): string {
  if (!details) return '';
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${value}`)
    .join('; ');
}
