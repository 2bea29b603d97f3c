import type { Metadata } from 'next';
import { ShareLinksTable } from '@/components/share-links-table';
import { requireSession } from '@/lib/auth/get-session';
import { db } from '@/lib/db';
import { listShareLinks } from '@/lib/shares/list-share-links';
import { isTeam } from '@/lib/spaces/space';
import { spaceOf } from '@/lib/spaces/space-of-session';

export const metadata: Metadata = { title: 'Shared links' };
export const dynamic = 'force-dynamic';

/**
 * Every share link of the space the user sees (a team's owners and admins: all; members: their own), with its
 * status, use count and each use; revocable here.
 */
export default async function SharedLinksPage() {
  const session = await requireSession('/vault/shares');
  const space = spaceOf(session);
  const links = await listShareLinks(db(), space);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-semibold tracking-tight">Shared links</h1>
        <p className="mt-1 text-slate-600">
          Links to your documents that work without an account, until they expire, reach their download limit
          or are revoked.{' '}
          <a href="/vault" className="text-vault-700 hover:underline">
            Back to {isTeam(space) ? 'the team vaults' : 'your vault'}
          </a>
        </p>
      </div>
      <ShareLinksTable links={links} showCreator={isTeam(space)} />
    </div>
  );
}
