import Link from 'next/link';
import type { TComparedPlan } from '@/lib/plans/build-plan-comparison';

function Fact({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="flex justify-between gap-3 border-t border-slate-100 py-1.5 text-sm">
      <dt className="text-slate-500">{label}</dt>
      <dd className="text-right font-medium text-slate-800" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

/**
 * One plan on the landing page, in the product page's words (the same `TComparedPlan`, the same test ids), with
 * its buy link only where the comparison offers a checkout: a product that has not launched has none.
 */
export function LandingPlanCard({ plan, productSlug }: { plan: TComparedPlan; productSlug: string }) {
  return (
    <li
      className={`flex flex-col rounded-xl border bg-white p-4 ${plan.recommended ? 'border-brand-500 ring-2 ring-brand-100' : 'border-slate-200'}`}
      data-testid={`plan-${plan.id}`}
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h4 className="font-semibold" data-testid="plan-name">
          {plan.name}
        </h4>
        {plan.recommended && (
          <span className="rounded-full bg-brand-50 px-2 py-0.5 text-xs font-semibold text-brand-700">
            Recommended
          </span>
        )}
      </div>
      <p className="mt-1 text-2xl font-semibold" data-testid="plan-price">
        {plan.price}
        {plan.monthly && <span className="text-sm font-normal text-slate-500">/month</span>}
      </p>
      <dl className="mt-3">
        {plan.storage && <Fact label="Storage" value={plan.storage} testId="plan-storage" />}
        {plan.processingUnits && (
          <Fact label="Processing units / month" value={plan.processingUnits} testId="plan-units" />
        )}
        {plan.largestFile && <Fact label="Largest file" value={plan.largestFile} testId="plan-max-file" />}
        <Fact label="Seats" value={plan.seats} testId="plan-seats" />
      </dl>
      <div className="mt-auto pt-4">
        {plan.action.kind === 'checkout' ? (
          <Link
            href={plan.action.href}
            className="block rounded-md bg-brand-600 px-4 py-2 text-center text-sm font-medium text-white hover:bg-brand-700"
          >
            {plan.action.label}
          </Link>
        ) : plan.action.kind === 'contact_sales' ? (
          <Link
            href={`/products/${productSlug}#plans`}
            className="block rounded-md border border-slate-300 px-4 py-2 text-center text-sm font-medium text-slate-700 hover:bg-slate-50"
          >
            Contact sales
          </Link>
        ) : (
          <p className="text-center text-sm text-slate-500">Coming soon</p>
        )}
      </div>
    </li>
  );
}
