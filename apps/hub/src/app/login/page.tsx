import { safeRedirectTarget } from '@omg/platform';
import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth-card';
import { AuthForm } from '@/components/auth-form';
import { PasskeySignIn } from '@/components/passkey-sign-in';
import { getSession } from '@/lib/auth/get-session';
import { env } from '@/lib/env';

export const metadata: Metadata = { title: 'Log in' };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  // A repeated `next` (an array) or anything off the Hub falls back to the portal.
  const params = await searchParams;
  const next = safeRedirectTarget(params.next, { self: env().HUB_URL, fallback: '/portal' });
  if (await getSession()) redirect(next);
  return (
    <AuthCard title="Log in" subtitle="One OMG account for every product.">
      {params.reset === '1' && (
        <p
          role="status"
          className="mb-5 rounded-md border border-brand-100 bg-brand-50 px-3 py-2 text-sm text-slate-700"
        >
          Your password was changed and every other session was signed out. Log in with your new password.
        </p>
      )}
      <AuthForm mode="login" next={next} passwordRules={[]} />
      <PasskeySignIn next={next} />
    </AuthCard>
  );
}
