import { CHECKOUT_TRIAL_DAYS, formatPrice, NO_SUBSCRIPTION_TRIAL_DAYS, SVD_APP_ID } from '@omg/contract';
import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { AppScreenshot } from '@/components/app-screenshot';
import { LandingPlanCard } from '@/components/landing-plan-card';
import { getSession } from '@/lib/auth/get-session';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { loadLandingProducts, type TLandingProduct } from '@/lib/landing/load-landing-products';

const TITLE = 'One account for every OMG product';
const DESCRIPTION =
  'Sign in once, pay one bill, and open SecureVault Docs and the other OMG products already signed in. Plans, prices and real screenshots.';

export async function generateMetadata(): Promise<Metadata> {
  return {
    title: { absolute: `OMG System · ${TITLE}` },
    description: DESCRIPTION,
    metadataBase: new URL(env().HUB_URL),
    alternates: { canonical: '/' },
    openGraph: {
      type: 'website',
      siteName: 'OMG System',
      title: TITLE,
      description: DESCRIPTION,
      url: '/',
      images: [{ url: '/screenshots/portal-1280.jpg', width: 1280, height: 800, alt: 'The OMG portal' }],
    },
    twitter: { card: 'summary_large_image', title: TITLE, description: DESCRIPTION },
  };
}

/** The one-account promise, each line something the Hub does today. */
const PROMISE = [
  {
    title: 'One sign-in',
    text: 'One email and password (with two-factor authentication if you want it) for every OMG product.',
  },
  {
    title: 'One bill',
    text: 'Every subscription on one billing page and one payment method, with the next charge always shown.',
  },
  {
    title: 'Launch, already signed in',
    text: 'Open any product from your portal and you are in: no second account, no second password.',
  },
];

/** Real screenshots, written by `npm run screenshots` from a seeded customer's walk through both apps. */
const SCREENSHOTS = [
  {
    name: 'portal',
    alt: 'The OMG portal listing SecureVault Docs with its plan and a Launch button, and the products coming soon',
    caption: 'Your portal: every product, your plan and its state, one click to launch.',
  },
  {
    name: 'vault',
    alt: 'SecureVault Docs showing a vault with documents, their status and the storage used',
    caption: 'SecureVault Docs: your documents, encrypted at rest, searchable and organized in vaults.',
  },
  {
    name: 'plans',
    alt: 'The plan comparison for SecureVault Docs with prices, storage and processing units side by side',
    caption: 'Plans side by side, with the limits the app applies and your current plan marked.',
  },
  {
    name: 'billing',
    alt: 'The billing page with an active subscription, its price and the next charge date',
    caption: 'Billing: what you pay, when the next charge is, and how to change or cancel.',
  },
];

function ProductCard({ product }: { product: TLandingProduct }) {
  return (
    <li
      className="flex flex-col rounded-2xl border border-slate-200 bg-white p-6 shadow-sm"
      data-testid={`landing-product-${product.slug}`}
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h3 className="text-lg font-semibold">{product.name}</h3>
          <p className="text-sm text-slate-500">{product.tagline}</p>
        </div>
        <span
          className={`rounded-full px-2.5 py-0.5 text-xs font-medium ${product.launched ? 'bg-emerald-50 text-emerald-700' : 'bg-amber-50 text-amber-800'}`}
          data-testid="product-availability"
        >
          {product.launched ? 'Available now' : 'Coming soon'}
        </span>
      </div>
      <p className="mt-4 flex-1 text-sm text-slate-600">{product.description}</p>
      <p className="mt-4 text-sm text-slate-700" data-testid="product-from-price">
        {product.fromPriceCents === null ? (
          'Contact sales'
        ) : (
          <>
            From <span className="font-semibold">{formatPrice(product.fromPriceCents)}</span>/month
          </>
        )}
      </p>
      <Link
        href={`/products/${product.slug}`}
        className="mt-5 self-start rounded-md border border-slate-300 px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50"
      >
        {product.launched ? `See ${product.name} plans` : `About ${product.name}`}
      </Link>
    </li>
  );
}

function ProductPricing({ product }: { product: TLandingProduct }) {
  return (
    <section
      className="mt-8"
      aria-labelledby={`pricing-${product.slug}-heading`}
      data-testid={`pricing-${product.slug}`}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id={`pricing-${product.slug}-heading`} className="text-lg font-semibold">
          {product.name}
          {!product.launched && <span className="ml-2 text-sm font-normal text-amber-800">Coming soon</span>}
        </h3>
        <Link href={`/products/${product.slug}#plans`} className="text-sm text-brand-600 hover:underline">
          Compare {product.name} plans
        </Link>
      </div>
      <ul className="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-4" aria-label={`${product.name} plans`}>
        {product.plans.map((plan) => (
          <LandingPlanCard key={plan.id} plan={plan} productSlug={product.slug} />
        ))}
      </ul>
    </section>
  );
}

export default async function HomePage() {
  // A signed-in customer has somewhere better to be: their portal.
  if (await getSession()) redirect('/portal');
  const products = await loadLandingProducts(db());
  const svd = products.find((p) => p.appId === SVD_APP_ID);
  return (
    <div>
      <section className="mx-auto max-w-3xl py-10 text-center sm:py-16">
        <h1 className="text-4xl font-semibold tracking-tight sm:text-5xl">{TITLE}</h1>
        <p className="mt-6 text-lg text-slate-600">
          Log in once, pay once, and move between {products.map((p) => p.name).join(', ')} without noticing.
        </p>
        <div className="mt-10 flex flex-col justify-center gap-3 sm:flex-row sm:gap-4">
          <Link
            href="/signup"
            className="rounded-md bg-brand-600 px-5 py-3 font-medium text-white hover:bg-brand-700"
          >
            Create your account
          </Link>
          <Link
            href="/login"
            className="rounded-md border border-slate-300 bg-white px-5 py-3 font-medium text-slate-700 hover:bg-slate-50"
          >
            Log in
          </Link>
        </div>
        {svd?.launched && (
          <p className="mt-4 text-sm text-slate-500" data-testid="landing-trial">
            {svd.name}: a {NO_SUBSCRIPTION_TRIAL_DAYS}-day free trial from your first visit, no card needed.
          </p>
        )}
      </section>

      <section aria-labelledby="promise-heading" className="mt-4">
        <h2 id="promise-heading" className="sr-only">
          The one-account promise
        </h2>
        <ul className="grid gap-4 sm:grid-cols-3" data-testid="landing-promise">
          {PROMISE.map((item) => (
            <li key={item.title} className="rounded-2xl border border-slate-200 bg-white p-5">
              <h3 className="font-semibold">{item.title}</h3>
              <p className="mt-2 text-sm text-slate-600">{item.text}</p>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="products-heading" className="mt-16">
        <h2 id="products-heading" className="text-2xl font-semibold tracking-tight">
          The products
        </h2>
        <ul className="mt-6 grid gap-6 sm:grid-cols-2" aria-label="Products">
          {products.map((product) => (
            <ProductCard key={product.appId} product={product} />
          ))}
        </ul>
      </section>

      <section aria-labelledby="screenshots-heading" className="mt-16">
        <h2 id="screenshots-heading" className="text-2xl font-semibold tracking-tight">
          What it looks like
        </h2>
        <p className="mt-2 text-slate-600">Real screenshots of the apps, taken from a customer’s account.</p>
        <div className="mt-6 grid gap-8 lg:grid-cols-2">
          {SCREENSHOTS.map((shot) => (
            <AppScreenshot key={shot.name} {...shot} />
          ))}
        </div>
      </section>

      <section aria-labelledby="pricing-heading" className="mt-16" id="pricing">
        <h2 id="pricing-heading" className="text-2xl font-semibold tracking-tight">
          Pricing
        </h2>
        <p className="mt-2 text-slate-600">
          Monthly prices per product, all on one bill. Your first paid plan of a product starts with a{' '}
          {CHECKOUT_TRIAL_DAYS}-day free trial.
        </p>
        {products.map((product) => (
          <ProductPricing key={product.appId} product={product} />
        ))}
      </section>

      <section aria-labelledby="trust-heading" className="mt-16">
        <h2 id="trust-heading" className="text-2xl font-semibold tracking-tight">
          Good to know
        </h2>
        <dl className="mt-6 grid gap-6 sm:grid-cols-2" data-testid="landing-trust">
          <div>
            <dt className="font-semibold">Are my documents safe?</dt>
            <dd className="mt-1 text-sm text-slate-600">
              SecureVault Docs encrypts every document at rest (AES-256-GCM) before it is stored.
            </dd>
          </div>
          <div>
            <dt className="font-semibold">Can I cancel?</dt>
            <dd className="mt-1 text-sm text-slate-600">
              Any time, from your billing page: at the end of the paid period, or right away.
            </dd>
          </div>
          <div>
            <dt className="font-semibold">Who can sign in to my account?</dt>
            <dd className="mt-1 text-sm text-slate-600">
              Only you: turn on two-factor authentication, see every signed-in device and sign any of them
              out.
            </dd>
          </div>
          <div>
            <dt className="font-semibold">Is my data mine?</dt>
            <dd className="mt-1 text-sm text-slate-600">
              Download all of it as a file whenever you like, or delete your account and everything in it.
            </dd>
          </div>
        </dl>
      </section>

      <section className="mt-16 rounded-2xl bg-brand-600 px-6 py-10 text-center text-white">
        <h2 className="text-2xl font-semibold tracking-tight">One account, ready in a minute</h2>
        <div className="mt-6 flex flex-col justify-center gap-3 sm:flex-row">
          <Link
            href="/signup"
            className="rounded-md bg-white px-5 py-3 font-medium text-brand-700 hover:bg-brand-50"
          >
            Create your account
          </Link>
          <Link href="/login" className="rounded-md px-5 py-3 font-medium text-white underline">
            I already have one: log in
          </Link>
        </div>
      </section>
    </div>
  );
}
