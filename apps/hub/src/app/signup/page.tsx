import { safeRedirectTarget } from '@omg/platform';
import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth-card';
import { AuthForm } from '@/components/auth-form';
import { getSession } from '@/lib/auth/get-session';
import { PASSWORD_RULES } from '@/lib/auth/password-policy';
import { env } from '@/lib/env';

export const metadata: Metadata = { title: 'Create your account' };

export default async function SignupPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  // A repeated `next` (an array) or anything off the Hub falls back to the portal.
  const next = safeRedirectTarget((await searchParams).next, { self: env().HUB_URL, fallback: '/portal' });
  if (await getSession()) redirect(next);
  return (
    <AuthCard
      title="Create your OMG account"
      subtitle="One login and one bill for SecureVault Docs and every OMG product."
    >
      <AuthForm mode="signup" next={next} passwordRules={PASSWORD_RULES} />
    </AuthCard>
  );
}
