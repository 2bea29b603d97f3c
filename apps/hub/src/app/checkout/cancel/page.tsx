import { findProductBySlug } from '@omg/contract';
import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Checkout canceled' };

export default async function CheckoutCancelPage({
  searchParams,
}: {
  searchParams: Promise<{ product?: string }>;
}) {
  const product = findProductBySlug((await searchParams).product ?? '');
  return (
    <div className="mx-auto max-w-lg rounded-2xl border border-slate-200 bg-white p-8 text-center shadow-sm">
      <h1 className="text-2xl font-semibold tracking-tight">Checkout canceled</h1>
      <p className="mt-2 text-slate-600">Nothing was charged and nothing changed on your account.</p>
      <Link
        href={product ? `/products/${product.slug}` : '/portal'}
        className="mt-6 inline-block rounded-md bg-brand-600 px-5 py-2.5 font-medium text-white hover:bg-brand-700"
      >
        {product ? `Back to ${product.name}` : 'Back to your portal'}
      </Link>
    </div>
  );
}
