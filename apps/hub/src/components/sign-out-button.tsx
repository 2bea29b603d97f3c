'use client';

import { useAction } from '@omg/platform/client';
import { useRouter } from 'next/navigation';
import { authClient } from '@/lib/auth/client';

export function SignOutButton() {
  const router = useRouter();
  const signOut = useAction({ leavesPage: true });
  return (
    <button
      type="button"
      disabled={signOut.pending}
      onClick={() =>
        signOut.run(async () => {
          await authClient.signOut();
          router.push('/login');
          router.refresh();
        })
      }
      className="rounded-md border border-slate-300 px-3 py-1.5 text-slate-700 hover:bg-slate-100 disabled:opacity-60"
    >
      {signOut.pending ? 'Logging out…' : 'Log out'}
    </button>
  );
}
