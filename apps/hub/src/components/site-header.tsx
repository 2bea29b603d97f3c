import Link from 'next/link';
import { getSession } from '@/lib/auth/get-session';
import { SignOutButton } from './sign-out-button';

export async function SiteHeader() {
  const session = await getSession();
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex h-16 max-w-6xl items-center justify-between px-6">
        <Link
          href={session ? '/portal' : '/'}
          className="flex items-center gap-2 text-lg font-semibold tracking-tight"
        >
          <span className="grid h-8 w-8 place-items-center rounded-lg bg-brand-600 text-sm font-bold text-white">
            O
          </span>
          OMG System
        </Link>
        {session ? (
          <nav className="flex items-center gap-6 text-sm" aria-label="Main">
            <Link href="/portal" className="text-slate-600 hover:text-slate-900">
              Portal
            </Link>
            <Link href="/billing" className="text-slate-600 hover:text-slate-900">
              Billing
            </Link>
            <Link href="/account" className="text-slate-600 hover:text-slate-900">
              Account
            </Link>
            <span className="hidden text-slate-400 sm:inline" data-testid="signed-in-email">
              {session.user.email}
            </span>
            <SignOutButton />
          </nav>
        ) : (
          <nav className="flex items-center gap-3 text-sm" aria-label="Main">
            <Link href="/login" className="rounded-md px-3 py-2 text-slate-600 hover:text-slate-900">
              Log in
            </Link>
            <Link
              href="/signup"
              className="rounded-md bg-brand-600 px-3 py-2 font-medium text-white hover:bg-brand-700"
            >
              Create account
            </Link>
          </nav>
        )}
      </div>
    </header>
  );
}
