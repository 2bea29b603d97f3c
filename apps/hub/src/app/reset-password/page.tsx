import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthCard } from '@/components/auth-card';
import { ResetPasswordForm } from '@/components/reset-password-form';
import { PASSWORD_RULES } from '@/lib/auth/password-policy';

export const metadata: Metadata = { title: 'Choose a new password' };

/** Where the mailed link lands (better-auth adds `?token=…`, or `?error=INVALID_TOKEN` for a spent or old one). */
export default async function ResetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const { token, error } = await searchParams;
  if (typeof token !== 'string' || !token || error) {
    return (
      <AuthCard title="This link no longer works" subtitle="A reset link works once, for 1 hour.">
        <Link href="/forgot-password" className="font-medium text-brand-600 hover:underline">
          Ask for a new link
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Choose a new password" subtitle="You will be signed out everywhere else.">
      <ResetPasswordForm token={token} passwordRules={PASSWORD_RULES} />
    </AuthCard>
  );
}
