import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth-card';
import { AuthForm } from '@/components/auth-form';
import { getSession } from '@/lib/auth/get-session';
import { safeNext } from '@/lib/auth/safe-next';

export const metadata: Metadata = { title: 'Log in' };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const next = safeNext((await searchParams).next);
  if (await getSession()) redirect(next);
  return (
    <AuthCard title="Log in" subtitle="One OMG account for every product.">
      <AuthForm mode="login" next={next} passwordRules={[]} />
    </AuthCard>
  );
}
