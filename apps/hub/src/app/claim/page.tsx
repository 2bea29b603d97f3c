import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthCard } from '@/components/auth-card';
import { ClaimAccountForm } from '@/components/claim-account-form';
import { CLAIM_LINK_VALID_DAYS } from '@/lib/account-claim/claim-token';
import { findAccountClaim } from '@/lib/account-claim/find-account-claim';
import { PASSWORD_RULES } from '@/lib/auth/password-policy';
import { db } from '@/lib/db';

export const metadata: Metadata = { title: 'Set your password' };

const SPENT = {
  used: {
    title: 'This link was already used',
    text: 'A claim link works once. If you set your password with it, log in with that password.',
  },
  expired: {
    title: 'This link has expired',
    text: `A claim link works for ${CLAIM_LINK_VALID_DAYS} days. Ask for a new link: we mail it to you.`,
  },
  unknown: {
    title: 'This link is not valid',
    text: 'Check that you opened the whole link from the mail, or ask for a new one.',
  },
} as const;

/** Where the migration welcome's link lands (`/claim?token=…`, SPEC §7): a migrated customer's first password. */
export default async function ClaimPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const { token } = await searchParams;
  const claim =
    typeof token === 'string' ? await findAccountClaim(db(), { token }) : { state: 'unknown' as const };
  if (claim.state !== 'valid') {
    const spent = SPENT[claim.state];
    return (
      <AuthCard title={spent.title} subtitle={spent.text}>
        <p className="flex flex-wrap gap-4 text-sm" data-testid="claim-spent">
          <Link href="/forgot-password" className="font-medium text-brand-600 hover:underline">
            Forgot your password?
          </Link>
          <Link href="/login" className="font-medium text-brand-600 hover:underline">
            Log in
          </Link>
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Set your password"
      subtitle="Your SecureVault Docs subscription now lives in your OMG account. Choose a password to sign in."
    >
      <ClaimAccountForm token={token as string} email={claim.email} passwordRules={PASSWORD_RULES} />
    </AuthCard>
  );
}
