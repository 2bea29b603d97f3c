import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { SiteHeader } from '@/components/site-header';
import { VerifyEmailReminder } from '@/components/verify-email-reminder';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'OMG System', template: '%s · OMG System' },
  description: 'One account, one login and one bill for every OMG product.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request: its scripts carry this request's CSP nonce (proxy.ts), which a page
  // prerendered at build time could not know, and the browser would refuse to run it.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <SiteHeader />
        <VerifyEmailReminder />
        <main className="mx-auto w-full max-w-6xl px-4 py-10 sm:px-6">{children}</main>
        <footer className="mx-auto max-w-6xl px-4 pb-10 text-sm text-slate-500 sm:px-6">
          © OMG System · One account for every OMG product
        </footer>
      </body>
    </html>
  );
}
