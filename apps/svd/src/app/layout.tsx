import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { PlanBadge } from '@/components/plan-bar';
import { getSession } from '@/lib/auth/get-session';
import { env } from '@/lib/env';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'SecureVault Docs', template: '%s · SecureVault Docs' },
  description: 'Your encrypted document vault, part of OMG System.',
  referrer: 'no-referrer',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Rendered per request: scripts carry this request's CSP nonce (proxy.ts), unknown to a prerendered page.
  await connection();
  const { HUB_URL } = env();
  const session = await getSession();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <header className="border-b border-slate-200 bg-white">
          {/* On a phone the actions wrap under the name instead of running off the screen. */}
          <div className="mx-auto flex min-h-16 max-w-6xl flex-wrap items-center justify-between gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
            <a href="/vault" className="flex items-center gap-2 text-lg font-semibold tracking-tight">
              <span className="grid h-8 w-8 place-items-center rounded-lg bg-vault-600 text-sm font-bold text-white">
                S
              </span>
              SecureVault Docs
            </a>
            <nav className="flex flex-wrap items-center gap-x-5 gap-y-2 text-sm" aria-label="Main">
              <a href={`${HUB_URL}/portal`} className="text-slate-600 hover:text-slate-900">
                OMG portal
              </a>
              {session && (
                <>
                  <PlanBadge status={session.status} testId="header-plan-badge" />
                  <span className="hidden text-slate-400 sm:inline" data-testid="svd-signed-in-email">
                    {session.user.email}
                  </span>
                  <form method="post" action="/logout">
                    <button
                      type="submit"
                      className="rounded-md border border-slate-300 px-3 py-1.5 text-slate-700 hover:bg-slate-100"
                    >
                      Sign out of SecureVault
                    </button>
                  </form>
                </>
              )}
            </nav>
          </div>
        </header>
        <main className="mx-auto w-full max-w-6xl px-4 py-10 sm:px-6">{children}</main>
      </body>
    </html>
  );
}
