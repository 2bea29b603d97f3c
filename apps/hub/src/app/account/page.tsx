import type { Metadata } from 'next';
import { ChangePasswordForm } from '@/components/change-password-form';
import { SignOutButton } from '@/components/sign-out-button';
import { SignOutEverywhereButton } from '@/components/sign-out-everywhere-button';
import { requireSession } from '@/lib/auth/get-session';
import { PASSWORD_RULES } from '@/lib/auth/password-policy';

export const metadata: Metadata = { title: 'Account' };

export default async function AccountPage() {
  const { user } = await requireSession('/account');
  const rows: [string, string][] = [
    ['Name', user.name || '—'],
    ['Email', user.email],
    ['Account type', user.accountType === 'business' ? 'Business' : 'Personal'],
    ['Member since', new Date(user.createdAt).toLocaleDateString('en-US', { dateStyle: 'long' })],
  ];
  return (
    <div className="max-w-2xl">
      <h1 className="text-3xl font-semibold tracking-tight">Account</h1>
      <dl className="mt-8 divide-y divide-slate-200 rounded-2xl border border-slate-200 bg-white">
        {rows.map(([label, value]) => (
          <div key={label} className="flex justify-between px-6 py-4 text-sm">
            <dt className="text-slate-500">{label}</dt>
            <dd className="font-medium">{value}</dd>
          </div>
        ))}
      </dl>
      <section className="mt-10">
        <h2 className="text-lg font-semibold">Password</h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">
          Changing your password signs out every other session of your account, in OMG and in SecureVault
          Docs. You stay signed in here.
        </p>
        <ChangePasswordForm passwordRules={PASSWORD_RULES} />
      </section>
      <section className="mt-10">
        <h2 className="text-lg font-semibold">Sessions</h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">
          Signing out here also signs you out of SecureVault Docs. To end every session on every device at
          once, use Sign out everywhere.
        </p>
        <div className="flex flex-wrap items-start gap-3">
          <SignOutButton />
          <SignOutEverywhereButton />
        </div>
      </section>
    </div>
  );
}
