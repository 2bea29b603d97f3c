import type { ReactNode } from 'react';

/** "Dec 2, 2026, 12:00 PM UTC": staff in any zone read the same time as the logs and Stripe's records. */
export function formatWhen(date: Date | string | null): string {
  if (!date) return '—';
  return `${new Date(date).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })} UTC`;
}

export function Section({
  id,
  title,
  note,
  children,
}: {
  id: string;
  title: string;
  note?: string;
  children: ReactNode;
}) {
  return (
    <section className="mt-10 min-w-0" aria-labelledby={`${id}-heading`} data-testid={`customer-${id}`}>
      <h2 id={`${id}-heading`} className="text-lg font-semibold">
        {title}
      </h2>
      {note ? <p className="mt-1 text-sm text-slate-600">{note}</p> : null}
      <div className="mt-4">{children}</div>
    </section>
  );
}

export function Card({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div
      className="min-w-0 rounded-2xl border border-slate-200 bg-white px-4 py-4 sm:px-6"
      data-testid={testId}
    >
      {children}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <p className="rounded-2xl border border-slate-200 bg-white px-6 py-8 text-center text-sm text-slate-500">
      {children}
    </p>
  );
}

/** Label and value pairs that stack on a phone and sit side by side from 640 px; long ids wrap, never scroll. */
export function Facts({ items }: { items: Array<[string, ReactNode]> }) {
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
      {items.map(([label, value]) => (
        <div key={label} className="min-w-0">
          <dt className="text-xs font-medium text-slate-500">{label}</dt>
          <dd className="mt-0.5 break-words [overflow-wrap:anywhere]">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function ExternalLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <a
      href={href}
      target="_blank"
      rel="noreferrer noopener"
      className="font-mono text-xs text-sky-700 underline decoration-sky-300 underline-offset-2 hover:text-sky-900"
    >
      {children}
    </a>
  );
}
