'use client';

import type { TOrganizationRole } from '@omg/contract';
import { FetchJsonError, fetchJson, useAction } from '@omg/platform/client';
import { useRouter } from 'next/navigation';
import { type FormEvent, useEffect, useState } from 'react';
import type { TOrganizationOverview } from '@/lib/organizations/get-organization-overview';
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from '@/lib/organizations/role-labels';
import { ConfirmActionButton } from './confirm-action-button';
import { CopyLink } from './copy-link';
import { FormMessages } from './form-parts';

const ASSIGNABLE: TOrganizationRole[] = ['admin', 'member', 'viewer'];
const field =
  'block w-full min-w-0 rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100';
const primary =
  'rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60';
const quiet =
  'rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100 disabled:opacity-60';
const day = (iso: string) =>
  new Date(iso).toLocaleDateString('en-US', { dateStyle: 'medium', timeZone: 'UTC' });

/** The role picker beside a member a manager may change. */
function RoleChanger({
  base,
  memberId,
  role,
  name,
}: {
  base: string;
  memberId: string;
  role: string;
  name: string;
}) {
  const router = useRouter();
  const change = useAction();
  const [selected, setSelected] = useState(role);
  useEffect(() => setSelected(role), [role]);
  async function choose(next: string) {
    setSelected(next);
    const done = await change.run(() =>
      fetchJson(`${base}/members/${encodeURIComponent(memberId)}`, {
        method: 'PATCH',
        body: { role: next },
        fallback: 'The role could not be changed.',
      }),
    );
    if (done) router.refresh();
    else setSelected(role);
  }
  return (
    <div className="min-w-0">
      <select
        aria-label={`Role of ${name}`}
        value={selected}
        disabled={change.pending}
        onChange={(event) => choose(event.target.value)}
        className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
      >
        {ASSIGNABLE.map((option) => (
          <option key={option} value={option}>
            {ROLE_LABELS[option]}
          </option>
        ))}
      </select>
      {change.error && (
        <p role="alert" className="mt-1 text-sm text-red-700">
          {change.error}
        </p>
      )}
    </div>
  );
}

function InviteForm({ base, onInvited }: { base: string; onInvited: () => void }) {
  const invite = useAction();
  const [sent, setSent] = useState<{ email: string; url: string } | null>(null);
  const [addSeatUrl, setAddSeatUrl] = useState<string | null>(null);
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setSent(null);
    let answer: { invitation: { email: string; url: string } } | null = null;
    setAddSeatUrl(null);
    const done = await invite.run(async () => {
      try {
        answer = await fetchJson<{ invitation: { email: string; url: string } }>(`${base}/invitations`, {
          method: 'POST',
          body: { email: String(data.get('email') ?? ''), role: String(data.get('role') ?? '') },
          fallback: 'The invitation could not be sent.',
        });
      } catch (error) {
        // Every seat is taken: the message says so, and the way to a seat is one click away (Billing's seats).
        if (error instanceof FetchJsonError && error.details?.code === 'SEAT_REQUIRED') {
          setAddSeatUrl(`${String(error.details.addSeatUrl ?? '/billing')}#seats`);
        }
        throw error;
      }
    });
    if (done && answer) {
      setSent((answer as { invitation: { email: string; url: string } }).invitation);
      form.reset();
      onInvited();
    }
  }
  return (
    <form onSubmit={onSubmit} aria-label="Invite a member" className="space-y-3">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
        <label className="block min-w-0 flex-1">
          <span className="mb-1 block text-sm font-medium text-slate-700">Email address</span>
          <input name="email" type="email" required maxLength={254} autoComplete="off" className={field} />
        </label>
        <label className="block">
          <span className="mb-1 block text-sm font-medium text-slate-700">Role</span>
          <select name="role" defaultValue="member" className={field}>
            {ASSIGNABLE.map((option) => (
              <option key={option} value={option}>
                {ROLE_LABELS[option]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={invite.pending} className={primary}>
          {invite.pending ? 'Please wait…' : 'Send invitation'}
        </button>
      </div>
      <FormMessages error={invite.error} />
      {addSeatUrl && invite.error && (
        <a href={addSeatUrl} className={`${primary} inline-block`} data-testid="add-seat-link">
          Add a seat
        </a>
      )}
      {sent && (
        <div role="status" className="space-y-2 rounded-md border border-brand-100 bg-brand-50 p-3 text-sm">
          <p className="break-words">
            We emailed an invitation to <strong>{sent.email}</strong>. If it does not arrive, send them this
            link:
          </p>
          <CopyLink url={sent.url} label={`Invitation link for ${sent.email}`} />
        </div>
      )}
    </form>
  );
}

/**
 * /organizations/[slug]: who is in the account and what they may do. Owners and admins invite, change roles,
 * remove and see the pending invitations; the owner transfers ownership; everyone else sees the list and may
 * leave. The server decides every one of these again.
 */
export function OrganizationMembers({
  overview,
  userId,
}: {
  overview: TOrganizationOverview;
  userId: string;
}) {
  const router = useRouter();
  const { organization, you, members, invitations } = overview;
  const base = `/api/organizations/${encodeURIComponent(organization.slug)}`;
  const canManage = you.role === 'owner' || you.role === 'admin';
  const isOwner = you.role === 'owner';

  const call = (path: string, method: 'POST' | 'DELETE', body?: unknown, fallback = 'That did not work.') =>
    fetchJson(`${base}${path}`, { method, body, fallback });

  return (
    <div className="space-y-10">
      <section aria-labelledby="members-heading">
        <h2 id="members-heading" className="text-lg font-semibold">
          Members ({members.length})
        </h2>
        <ul className="mt-4 divide-y divide-slate-200 rounded-2xl border border-slate-200 bg-white">
          {members.map((member) => {
            const self = member.userId === userId;
            const label = member.name || member.email;
            const mayChange =
              canManage && !self && member.role !== 'owner' && (member.role !== 'admin' || isOwner);
            return (
              <li
                key={member.id}
                data-testid="member-row"
                className="flex flex-col gap-3 px-4 py-4 sm:flex-row sm:items-start sm:justify-between sm:px-6"
              >
                <div className="min-w-0">
                  <p className="truncate font-medium">
                    {label}
                    {self && <span className="ml-2 text-sm font-normal text-slate-500">(you)</span>}
                  </p>
                  <p className="truncate text-sm text-slate-500">{member.email}</p>
                  <p className="mt-1 text-xs text-slate-500">
                    <span data-testid="member-role" className="font-medium text-slate-700">
                      {ROLE_LABELS[member.role]}
                    </span>{' '}
                    · joined {day(member.joinedAt)}
                  </p>
                </div>
                {(mayChange || (isOwner && !self)) && (
                  <div className="flex flex-wrap items-start gap-2">
                    {mayChange && (
                      <RoleChanger base={base} memberId={member.id} role={member.role} name={label} />
                    )}
                    {mayChange && (
                      <ConfirmActionButton
                        label="Remove"
                        question={`Remove ${label} from ${organization.name}? They lose access at once; their documents stay with the team.`}
                        confirmLabel="Remove member"
                        onConfirm={async () => {
                          await call(
                            `/members/${encodeURIComponent(member.id)}`,
                            'DELETE',
                            undefined,
                            'The member could not be removed.',
                          );
                          router.refresh();
                        }}
                      />
                    )}
                    {isOwner && !self && (
                      <ConfirmActionButton
                        label="Make owner"
                        question={`Make ${label} the owner of ${organization.name}? You become an admin, and only they can undo this.`}
                        confirmLabel="Transfer ownership"
                        onConfirm={async () => {
                          await call(
                            '/transfer',
                            'POST',
                            { membershipId: member.id },
                            'Ownership could not be transferred.',
                          );
                          router.refresh();
                        }}
                      />
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
        <dl className="mt-4 grid gap-2 text-sm text-slate-600 sm:grid-cols-2">
          {(['owner', 'admin', 'member', 'viewer'] as const).map((role) => (
            <div key={role} className="min-w-0">
              <dt className="inline font-medium text-slate-700">{ROLE_LABELS[role]}: </dt>
              <dd className="inline">{ROLE_DESCRIPTIONS[role]}</dd>
            </div>
          ))}
        </dl>
      </section>

      {canManage && (
        <section aria-labelledby="invite-heading">
          <h2 id="invite-heading" className="text-lg font-semibold">
            Invite someone
          </h2>
          <p className="mt-1 mb-4 text-sm text-slate-600">
            They get an email with a link; they sign in or create an account with that address and accept. The
            link works for 7 days.
          </p>
          <InviteForm base={base} onInvited={() => router.refresh()} />
        </section>
      )}

      {invitations && (
        <section aria-labelledby="invitations-heading">
          <h2 id="invitations-heading" className="text-lg font-semibold">
            Pending invitations
          </h2>
          {invitations.length === 0 ? (
            <p className="mt-2 text-sm text-slate-600">No invitations are waiting for an answer.</p>
          ) : (
            <ul className="mt-4 divide-y divide-slate-200 rounded-2xl border border-slate-200 bg-white">
              {invitations.map((invitation) => (
                <li key={invitation.id} data-testid="invitation-row" className="space-y-2 px-4 py-4 sm:px-6">
                  <div className="flex flex-wrap items-start justify-between gap-2">
                    <div className="min-w-0">
                      <p className="break-all font-medium">{invitation.email}</p>
                      <p className="text-xs text-slate-500">
                        {ROLE_LABELS[invitation.role]} · expires {day(invitation.expiresAt)}
                      </p>
                    </div>
                    <RevokeButton
                      onRevoke={async () => {
                        await call(
                          `/invitations/${encodeURIComponent(invitation.id)}`,
                          'DELETE',
                          undefined,
                          'The invitation could not be revoked.',
                        );
                        router.refresh();
                      }}
                    />
                  </div>
                  <CopyLink url={invitation.url} label={`Invitation link for ${invitation.email}`} />
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      <section aria-labelledby="danger-heading" className="rounded-2xl border border-red-200 p-4 sm:p-6">
        <h2 id="danger-heading" className="text-lg font-semibold text-red-800">
          Danger zone
        </h2>
        {isOwner ? (
          <p className="mt-2 text-sm text-slate-600">
            You are the owner. To leave {organization.name}, first make another member the owner (“Make owner”
            beside them); you then stay as an admin and can leave.
          </p>
        ) : (
          <div className="mt-2 space-y-3">
            <p className="text-sm text-slate-600">
              Leaving ends your access to {organization.name} and its apps. Only an owner or admin can invite
              you back.
            </p>
            <ConfirmActionButton
              label="Leave"
              question={`Leave ${organization.name}? You lose access at once.`}
              confirmLabel="Leave business account"
              leavesPage
              onConfirm={async () => {
                await call('/leave', 'POST', undefined, 'You could not leave.');
                router.push('/organizations');
                router.refresh();
              }}
            />
          </div>
        )}
      </section>
    </div>
  );
}

function RevokeButton({ onRevoke }: { onRevoke: () => Promise<void> }) {
  const revoke = useAction();
  return (
    <div>
      <button type="button" disabled={revoke.pending} onClick={() => revoke.run(onRevoke)} className={quiet}>
        {revoke.pending ? 'Revoking…' : 'Revoke'}
      </button>
      {revoke.error && (
        <p role="alert" className="mt-1 text-sm text-red-700">
          {revoke.error}
        </p>
      )}
    </div>
  );
}
