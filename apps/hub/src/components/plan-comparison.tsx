import Link from 'next/link';
import { ContactSalesForm, type TContactSalesProps } from '@/components/contact-sales-form';
import type { TComparedPlan, TPlanComparison } from '@/lib/plans/build-plan-comparison';

function Row({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="flex justify-between gap-3 border-t border-slate-100 py-2 text-sm">
      <dt className="text-slate-500">{label}</dt>
      <dd className="text-right font-medium text-slate-800" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

function PlanCard({ plan, contact }: { plan: TComparedPlan; contact: TContactSalesProps }) {
  const highlight = plan.current
    ? 'border-emerald-400 ring-2 ring-emerald-200'
    : plan.recommended
      ? 'border-brand-500 ring-2 ring-brand-100'
      : 'border-slate-200';
  return (
    <li
      className={`flex flex-col rounded-2xl border bg-white p-5 shadow-sm ${highlight}`}
      data-testid={`plan-${plan.id}`}
      aria-current={plan.current ? 'true' : undefined}
    >
      <div className="flex min-h-6 flex-wrap gap-2">
        {plan.current && (
          <span
            className="rounded-full bg-emerald-50 px-2.5 py-0.5 text-xs font-semibold text-emerald-700"
            data-testid="plan-current"
          >
            Your current plan
          </span>
        )}
        {plan.recommended && (
          <span
            className="rounded-full bg-brand-50 px-2.5 py-0.5 text-xs font-semibold text-brand-700"
            data-testid="plan-recommended"
          >
            Recommended
          </span>
        )}
      </div>
      <h3 className="mt-2 text-lg font-semibold">{plan.name}</h3>
      <p className="mt-2 text-3xl font-semibold" data-testid="plan-price">
        {plan.price}
        {plan.monthly && <span className="text-base font-normal text-slate-500">/month</span>}
      </p>
      {plan.nextCharge && (
        <p className="mt-1 text-xs text-slate-500" data-testid="plan-next-charge">
          {plan.nextCharge}
        </p>
      )}
      <dl className="mt-4">
        {plan.storage && <Row label="Storage" value={plan.storage} testId="plan-storage" />}
        {plan.processingUnits && (
          <Row label="Processing units / month" value={plan.processingUnits} testId="plan-units" />
        )}
        {plan.largestFile && <Row label="Largest file" value={plan.largestFile} testId="plan-max-file" />}
        <Row label="Seats" value={plan.seats} testId="plan-seats" />
      </dl>
      {plan.businessMove && (
        <p
          className="mt-3 rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900"
          data-testid="plan-business-move"
        >
          {plan.businessMove}
        </p>
      )}
      <div className="mt-auto pt-5">
        {plan.action.kind === 'checkout' ? (
          <Link
            href={plan.action.href}
            className="block rounded-md bg-brand-600 px-4 py-2 text-center text-sm font-medium text-white hover:bg-brand-700"
          >
            {plan.action.label}
          </Link>
        ) : plan.action.kind === 'contact_sales' ? (
          <ContactSalesForm {...contact} />
        ) : plan.action.kind === 'current' ? (
          <p className="text-center text-sm text-slate-500">You are on this plan</p>
        ) : (
          <p className="text-sm text-slate-500">Coming soon</p>
        )}
      </div>
    </li>
  );
}

/**
 * The plans side by side (cards in a grid; one column on a phone, so nothing is clipped at 390 px), personal and
 * business plans in their own groups with what business plans add.
 */
export function PlanComparison({
  comparison,
  contact,
}: {
  comparison: TPlanComparison;
  /** Who is asking, for the Contact sales form a sales-only plan opens. */
  contact: TContactSalesProps;
}) {
  const personal = comparison.plans.filter((p) => p.audience === 'personal');
  const business = comparison.plans.filter((p) => p.audience === 'business');
  return (
    <section id="plans" className="mt-8 scroll-mt-6" aria-labelledby="plans-heading">
      <h2 id="plans-heading" className="text-xl font-semibold">
        Compare plans
      </h2>
      {comparison.currentPlanName && (
        <p className="mt-1 text-sm text-slate-600" data-testid="current-plan-note">
          You are on <span className="font-medium">{comparison.currentPlanName}</span>.
        </p>
      )}
      {personal.length > 0 && (
        <ul className="mt-4 grid gap-5 sm:grid-cols-2 lg:grid-cols-3" aria-label="Plans">
          {personal.map((plan) => (
            <PlanCard key={plan.id} plan={plan} contact={contact} />
          ))}
        </ul>
      )}
      {business.length > 0 && (
        <>
          <h3 className="mt-10 text-lg font-semibold">Business plans</h3>
          <ul className="mt-2 list-disc pl-5 text-sm text-slate-600" data-testid="business-adds">
            {comparison.businessAdds.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <ul className="mt-4 grid gap-5 sm:grid-cols-2 lg:grid-cols-4" aria-label="Business plans">
            {business.map((plan) => (
              <PlanCard key={plan.id} plan={plan} contact={contact} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
