import type { Metadata } from 'next';
import { requireSession } from '@/lib/auth/get-session';

export const metadata: Metadata = { title: 'Your vault' };
export const dynamic = 'force-dynamic';

export default async function VaultPage() {
  const { user } = await requireSession();
  return (
    <div>
      <h1 className="text-3xl font-semibold tracking-tight">Your vault</h1>
      <p className="mt-1 text-slate-600" data-testid="vault-owner">
        Signed in as {user.name ? `${user.name} (${user.email})` : user.email}
      </p>
      <div className="mt-8 rounded-2xl border border-dashed border-slate-300 bg-white p-12 text-center text-slate-600">
        Your vault is empty.
      </div>
    </div>
  );
}
