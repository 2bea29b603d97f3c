import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getSession } from '@/lib/auth/get-session';

export default async function HomePage() {
  if (await getSession()) redirect('/portal');
  return (
    <section className="mx-auto max-w-3xl py-16 text-center">
      <h1 className="text-5xl font-semibold tracking-tight">One account for every OMG product</h1>
      <p className="mt-6 text-lg text-slate-600">
        Log in once, pay once, and move between SecureVault Docs, OMG-CRM, OMG-IQ and OMG-Leads without
        noticing.
      </p>
      <div className="mt-10 flex justify-center gap-4">
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
    </section>
  );
}
