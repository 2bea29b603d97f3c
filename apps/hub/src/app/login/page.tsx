import { safeRedirectTarget } from '@omg/platform';
import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth-card';
import { AuthForm } from '@/components/auth-form';
import { getSession } from '@/lib/auth/get-session';
import { env } from '@/lib/env';

export const metadata: Metadata = { title: 'Log in' };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  // A repeated `next` (an array) or anything off the Hub falls back to the portal.
  const next = safeRedirectTarget((await searchParams).next, { self: env().HUB_URL, fallback: '/portal' });
  if (await getSession()) redirect(next);
  return (
    <AuthCard title="Log in" subtitle="One OMG account for every product.">
      <AuthForm mode="login" next={next} passwordRules={[]} />
    </AuthCard>
  );
}
