import type { Metadata } from 'next';
import { AccountSessions } from '@/components/account-sessions';
import { ChangeEmailForm } from '@/components/change-email-form';
import { ChangeNameForm } from '@/components/change-name-form';
import { ChangePasswordForm } from '@/components/change-password-form';
import { DeleteAccountForm } from '@/components/delete-account-form';
import { PasskeySettings } from '@/components/passkey-settings';
import { SignOutButton } from '@/components/sign-out-button';
import { SignOutEverywhereButton } from '@/components/sign-out-everywhere-button';
import { TwoFactorSettings } from '@/components/two-factor-settings';
import { ACCOUNT_DELETION_TERMS } from '@/lib/account/delete-account';
import { listAccountSessions } from '@/lib/account/list-account-sessions';
import { requireSession } from '@/lib/auth/get-session';
import { listPasskeys } from '@/lib/auth/passkeys/list-passkeys';
import { PASSWORD_RULES } from '@/lib/auth/password-policy';
import { db } from '@/lib/db';

export const metadata: Metadata = { title: 'Account' };

const passkeyDate = (date: Date) =>
  `${date.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })} UTC`;

export default async function AccountPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { user, session } = await requireSession('/account');
  // Where the link mailed to a new address lands once better-auth has changed it.
  const emailChanged = (await searchParams).email === 'changed';
  const sessions = await listAccountSessions(db(), user.id, session.id);
  const passkeys = (await listPasskeys(db(), user.id)).map((passkey) => ({
    id: passkey.id,
    name: passkey.name,
    added: passkeyDate(passkey.createdAt),
    lastUsed: passkey.lastUsedAt ? passkeyDate(passkey.lastUsedAt) : 'never',
  }));
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
        <h2 className="text-lg font-semibold">Name</h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">
          How we address you, in OMG and in SecureVault Docs.
        </p>
        <ChangeNameForm name={user.name} />
      </section>
      <section className="mt-10">
        <h2 className="text-lg font-semibold">Email address</h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">
          We send a link to the new address and tell your current one. You sign in with the new address once
          you open the link.
        </p>
        {emailChanged && (
          <p role="status" className="mb-4 rounded-md border border-brand-100 bg-brand-50 px-3 py-2 text-sm">
            Your email address is now {user.email}.
          </p>
        )}
        <ChangeEmailForm />
      </section>
      <section className="mt-10">
        <h2 className="text-lg font-semibold">Password</h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">
          Changing your password signs out every other session of your account, in OMG and in SecureVault
          Docs. You stay signed in here.
        </p>
        <ChangePasswordForm passwordRules={PASSWORD_RULES} />
      </section>
      <section className="mt-10">
        <h2 className="text-lg font-semibold">Two-factor authentication</h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">
          After your password, logging in asks for a code from an authenticator app on your phone, or one of
          your backup codes.
        </p>
        <TwoFactorSettings enabled={Boolean(user.twoFactorEnabled)} />
      </section>
      <section className="mt-10">
        <h2 className="text-lg font-semibold">Passkeys</h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">
          Log in with your device’s fingerprint, face, screen lock or a security key instead of your password.
          A passkey counts as both factors, so no authentication code is asked. Adding one asks for your
          password.
        </p>
        <PasskeySettings passkeys={passkeys} />
      </section>
      <section className="mt-10">
        <h2 className="text-lg font-semibold">Your data</h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">
          A JSON file of everything OMG keeps about you: profile, sessions, passkeys, subscriptions,
          checkouts, billing events and the mail we sent you. SecureVault Docs keeps your vaults and documents
          itself, so their list comes from SecureVault Docs.
        </p>
        <div className="flex flex-wrap gap-3 text-sm">
          <a
            href="/api/account/export"
            download
            className="rounded-md border border-slate-300 px-3 py-1.5 text-slate-700 hover:bg-slate-100"
          >
            Download your OMG data
          </a>
          <a
            href="/launch/securevault?returnTo=%2Fapi%2Faccount%2Fexport"
            className="rounded-md border border-slate-300 px-3 py-1.5 text-slate-700 hover:bg-slate-100"
          >
            Download your SecureVault Docs data
          </a>
        </div>
      </section>
      <section className="mt-10">
        <h2 className="text-lg font-semibold">Sessions</h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">
          Where your account is signed in. Signing a device out here also signs it out of SecureVault Docs. To
          end every session on every device at once, use Sign out everywhere.
        </p>
        <AccountSessions sessions={sessions} />
        <div className="mt-4 flex flex-wrap items-start gap-3">
          <SignOutButton />
          <SignOutEverywhereButton />
        </div>
      </section>
      <section className="mt-10">
        <h2 className="text-lg font-semibold text-red-800">Delete everything</h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">This cannot be undone from here.</p>
        <DeleteAccountForm email={user.email} terms={ACCOUNT_DELETION_TERMS} />
      </section>
    </div>
  );
}
