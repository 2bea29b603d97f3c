import { findProductBySlug } from '@omg/contract';
import { normalizeRedirectTarget } from '@omg/platform';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { NotifyMeForm } from '@/components/notify-me-form';
import { PlanComparison } from '@/components/plan-comparison';
import { getSession } from '@/lib/auth/get-session';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { loadPlanComparison } from '@/lib/plans/load-plan-comparison';
import { hubOwnOrigins } from '@/lib/redirects/hub-own-origins';

type TSearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  const product = findProductBySlug((await params).slug);
  return { title: product?.name ?? 'Product not found' };
}

export default async function ProductPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: TSearchParams;
}) {
  const product = findProductBySlug((await params).slug);
  if (!product) notFound();
  const [session, query] = await Promise.all([getSession(), searchParams]);
  // SVD's Upgrade button sends its vault as the way back; anything else is dropped, never forwarded.
  const returnUrl = normalizeRedirectTarget(query.returnUrl, {
    self: env().HUB_URL,
    allowed: hubOwnOrigins(),
  });
  // The current plan comes from the customer's own row: a link cannot say which plan they have.
  const comparison = await loadPlanComparison(db(), {
    product,
    userId: session?.user.id ?? null,
    returnUrl,
  });
  return (
    <div>
      <Link href="/portal" className="text-sm text-brand-600 hover:underline">
        ← Back to portal
      </Link>
      <h1 className="mt-4 text-3xl font-semibold tracking-tight">{product.name}</h1>
      <p className="mt-2 max-w-2xl text-slate-600">{product.description}</p>
      {!comparison.launched && (
        <div
          className="mt-6 max-w-2xl rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900"
          data-testid="coming-soon"
        >
          <p className="font-semibold">Coming soon</p>
          <p className="mt-1">{product.name} launches later. It cannot be bought yet.</p>
          <NotifyMeForm
            productId={product.appId}
            productName={product.name}
            signedInEmail={session?.user.email ?? null}
          />
        </div>
      )}
      <PlanComparison
        comparison={comparison}
        contact={{
          productId: product.appId,
          productName: product.name,
          defaults: { name: session?.user.name ?? '', email: session?.user.email ?? '' },
        }}
      />
    </div>
  );
}
