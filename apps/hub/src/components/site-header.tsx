import Link from 'next/link';
import { getSession } from '@/lib/auth/get-session';
import { loadMyOrganizations } from '@/lib/organizations/load-my-organizations';
import { OrganizationSwitcher } from './organization-switcher';
import { SignOutButton } from './sign-out-button';
import { SiteMenu } from './site-menu';

export async function SiteHeader() {
  const session = await getSession();
  // The switcher appears once the user belongs to a business account; until then Personal is all there is.
  const organizations = session ? await loadMyOrganizations(session.user.id) : [];
  const activeId = organizations.some((o) => o.id === session?.session.activeOrganizationId)
    ? (session?.session.activeOrganizationId ?? null)
    : null;
  return (
    <header className="relative border-b border-slate-200 bg-white">
      <div className="mx-auto flex h-16 max-w-6xl items-center justify-between gap-4 px-4 sm:px-6">
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
          <nav className="text-sm" aria-label="Main">
            <SiteMenu>
              {organizations.length > 0 && (
                <OrganizationSwitcher
                  organizations={organizations.map(({ id, name }) => ({ id, name }))}
                  activeId={activeId}
                />
              )}
              <Link href="/portal" className="py-2 text-slate-600 hover:text-slate-900 md:py-0">
                Portal
              </Link>
              <Link href="/billing" className="py-2 text-slate-600 hover:text-slate-900 md:py-0">
                Billing
              </Link>
              <Link href="/organizations" className="py-2 text-slate-600 hover:text-slate-900 md:py-0">
                Teams
              </Link>
              <Link href="/account" className="py-2 text-slate-600 hover:text-slate-900 md:py-0">
                Account
              </Link>
              {/* In the phone menu and from lg up; between md and lg the row has no room for it. */}
              <span
                className="truncate py-2 text-slate-400 md:hidden lg:inline md:py-0"
                data-testid="signed-in-email"
              >
                {session.user.email}
              </span>
              <SignOutButton />
            </SiteMenu>
          </nav>
        ) : (
          <nav className="text-sm" aria-label="Main">
            <SiteMenu>
              <Link href="/login" className="rounded-md px-3 py-2 text-slate-600 hover:text-slate-900">
                Log in
              </Link>
              <Link
                href="/signup"
                className="rounded-md bg-brand-600 px-3 py-2 text-center font-medium text-white hover:bg-brand-700"
              >
                Create account
              </Link>
            </SiteMenu>
          </nav>
        )}
      </div>
    </header>
  );
}
