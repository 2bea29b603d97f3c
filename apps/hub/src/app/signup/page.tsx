import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth-card';
import { AuthForm } from '@/components/auth-form';
import { getSession } from '@/lib/auth/get-session';
import { PASSWORD_RULES } from '@/lib/auth/password-policy';
import { safeNext } from '@/lib/auth/safe-next';

export const metadata: Metadata = { title: 'Create your account' };

export default async function SignupPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const next = safeNext((await searchParams).next);
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
