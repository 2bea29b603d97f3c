import { getSession } from '@/lib/auth/get-session';
import { ResendVerificationButton } from './resend-verification-button';

/** An unverified account can use everything; it is reminded on every page until the address is confirmed. */
export async function VerifyEmailReminder() {
  const session = await getSession();
  if (!session || session.user.emailVerified) return null;
  return (
    <div className="border-b border-amber-200 bg-amber-50" data-testid="verify-email-reminder">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-6 py-3 text-sm text-amber-900">
        <p>
          Please confirm your email address: we sent a link to <strong>{session.user.email}</strong>.
        </p>
        <ResendVerificationButton email={session.user.email} />
      </div>
    </div>
  );
}
