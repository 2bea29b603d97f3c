import { findProductBySlug, formatPrice } from '@omg/contract';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { isProductLaunched } from '@/lib/checkout/is-product-launched';
import { db } from '@/lib/db';

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  const product = findProductBySlug((await params).slug);
  return { title: product?.name ?? 'Product not found' };
}

export default async function ProductPage({ params }: { params: Promise<{ slug: string }> }) {
  const product = findProductBySlug((await params).slug);
  if (!product) notFound();
  // Not launched yet: the plans are shown for reference, with nothing to buy (checkout refuses it too).
  const launched = await isProductLaunched(db(), product.appId);
  return (
    <div>
      <Link href="/portal" className="text-sm text-brand-600 hover:underline">
        ← Back to portal
      </Link>
      <h1 className="mt-4 text-3xl font-semibold tracking-tight">{product.name}</h1>
      <p className="mt-2 max-w-2xl text-slate-600">{product.description}</p>
      {!launched && (
        <div
          className="mt-6 max-w-2xl rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900"
          data-testid="coming-soon"
        >
          <p className="font-semibold">Coming soon</p>
          <p className="mt-1">{product.name} launches later. It cannot be bought yet.</p>
        </div>
      )}
      <ul className="mt-8 grid gap-6 sm:grid-cols-2 lg:grid-cols-3" aria-label="Plans">
        {product.plans.map((plan) => (
          <li
            key={plan.id}
            className="flex flex-col rounded-2xl border border-slate-200 bg-white p-6 shadow-sm"
            data-testid={`plan-${plan.id}`}
          >
            <p className="text-xs font-medium uppercase tracking-wide text-slate-500">
              {plan.audience === 'business' ? 'Business' : 'Personal'}
            </p>
            <h2 className="mt-1 text-lg font-semibold">{plan.name}</h2>
            <p className="mt-4 text-3xl font-semibold">
              {formatPrice(plan.priceCents)}
              {plan.priceCents !== null && (
                <span className="text-base font-normal text-slate-500">/month</span>
              )}
            </p>
            <div className="mt-6">
              {!launched ? (
                <p className="text-sm text-slate-500">Coming soon</p>
              ) : plan.priceCents === null ? (
                <p className="text-sm text-slate-500">Talk to our team for a tailored plan.</p>
              ) : (
                <Link
                  href={`/checkout/start?product=${product.slug}&plan=${plan.id}&trial=true`}
                  className="block rounded-md bg-brand-600 px-4 py-2 text-center text-sm font-medium text-white hover:bg-brand-700"
                >
                  Choose {plan.name}
                </Link>
              )}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
