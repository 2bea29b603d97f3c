import type { Metadata } from 'next';
import Link from 'next/link';
import { InvitationResponse } from '@/components/invitation-response';
import { SignOutButton } from '@/components/sign-out-button';
import { getSession } from '@/lib/auth/get-session';
import { db } from '@/lib/db';
import { getInvitation, type TInvitationState } from '@/lib/organizations/get-invitation';
import { ROLE_LABELS } from '@/lib/organizations/role-labels';

export const metadata: Metadata = { title: 'Invitation' };

const SPENT: Record<Exclude<TInvitationState, 'pending'>, string> = {
  expired: 'This invitation has expired. Ask whoever invited you for a new one.',
  accepted: 'This invitation was already accepted.',
  rejected: 'This invitation was declined.',
  canceled: 'This invitation was revoked. Ask whoever invited you for a new one.',
};

/**
 * Where the invitation link lands. Signed out: sign in or create an account with the invited address, then come
 * back here. Signed in with another address: says so. Signed in with it: Join or Decline.
 */
export default async function InvitationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const here = `/invitations/${encodeURIComponent(id)}`;
  const [invitation, session] = await Promise.all([getInvitation(db(), id), getSession()]);
  const card = 'max-w-lg rounded-2xl border border-slate-200 bg-white p-6 sm:p-8';
  if (!invitation) {
    return (
      <div className={card}>
        <h1 className="text-2xl font-semibold">Invitation not found</h1>
        <p className="mt-2 text-slate-600">This link is not valid. Check that you copied all of it.</p>
      </div>
    );
  }
  const role = ROLE_LABELS[invitation.role].toLowerCase();
  const sameAddress = session && session.user.email.toLowerCase() === invitation.email.toLowerCase();
  return (
    <div className={card}>
      <h1 className="break-words text-2xl font-semibold">Join {invitation.organizationName}</h1>
      <p className="mt-2 break-words text-slate-600">
        {invitation.inviterName} invited <strong>{invitation.email}</strong> to join{' '}
        {invitation.organizationName} as {role === 'admin' ? 'an' : 'a'} {role}.
      </p>
      <div className="mt-6">
        {invitation.state !== 'pending' ? (
          <p
            role="alert"
            className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
          >
            {SPENT[invitation.state]}
          </p>
        ) : !session ? (
          <div className="space-y-3">
            <p className="text-sm text-slate-600">
              Sign in or create your OMG account with{' '}
              <strong className="break-all">{invitation.email}</strong>, then you can accept.
            </p>
            <div className="flex flex-wrap gap-3">
              <Link
                href={`/signup?next=${encodeURIComponent(here)}`}
                className="rounded-md bg-brand-600 px-4 py-2.5 font-medium text-white hover:bg-brand-700"
              >
                Create account
              </Link>
              <Link
                href={`/login?next=${encodeURIComponent(here)}`}
                className="rounded-md border border-slate-300 px-4 py-2.5 text-slate-700 hover:bg-slate-100"
              >
                Log in
              </Link>
            </div>
          </div>
        ) : !sameAddress ? (
          <div className="space-y-3">
            <p
              role="alert"
              className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
            >
              You are signed in as <strong className="break-all">{session.user.email}</strong>, but this
              invitation is for <strong className="break-all">{invitation.email}</strong>. Sign out, then sign
              in with that address.
            </p>
            <SignOutButton />
          </div>
        ) : (
          <InvitationResponse invitationId={invitation.id} organizationName={invitation.organizationName} />
        )}
      </div>
    </div>
  );
}
