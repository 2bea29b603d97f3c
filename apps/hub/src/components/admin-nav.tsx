import Link from 'next/link';

const SECTIONS = [
  { href: '/admin', label: 'Overview' },
  { href: '/admin/customers', label: 'Customers' },
  { href: '/admin/metrics', label: 'Metrics' },
] as const;

export type TAdminSection = (typeof SECTIONS)[number]['href'];

/**
 * The console's navigation. Each /admin page renders it after its own staff check (never from a layout: a layout
 * also wraps the 404 that non-staff get, and the console must not be advertised to them).
 */
export function AdminNav({ current }: { current: TAdminSection }) {
  return (
    <nav aria-label="Console" className="mb-8 flex flex-wrap gap-2 border-b border-slate-200 pb-3 text-sm">
      {SECTIONS.map((section) => (
        <Link
          key={section.href}
          href={section.href}
          aria-current={section.href === current ? 'page' : undefined}
          className={
            section.href === current
              ? 'rounded-full bg-slate-900 px-3 py-1.5 font-medium text-white'
              : 'rounded-full px-3 py-1.5 text-slate-600 hover:bg-slate-100 hover:text-slate-900'
          }
        >
          {section.label}
        </Link>
      ))}
    </nav>
  );
}
