import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { env } from '@/lib/env';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'SecureVault Docs', template: '%s · SecureVault Docs' },
  description: 'Your encrypted document vault, part of OMG System.',
  referrer: 'no-referrer',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  const { HUB_URL } = env();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex h-16 max-w-6xl items-center justify-between px-6">
            <span className="flex items-center gap-2 text-lg font-semibold tracking-tight">
              <span className="grid h-8 w-8 place-items-center rounded-lg bg-vault-600 text-sm font-bold text-white">
                S
              </span>
              SecureVault Docs
            </span>
            <a href={`${HUB_URL}/portal`} className="text-sm text-slate-600 hover:text-slate-900">
              OMG portal
            </a>
          </div>
        </header>
        <main className="mx-auto w-full max-w-6xl px-6 py-10">{children}</main>
      </body>
    </html>
  );
}
