import { AppError, clientAddressOf } from '@omg/platform';
import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { db } from '@/lib/db';
import { formatBytes } from '@/lib/format-bytes';
import { accessShareLink } from '@/lib/shares/access-share-link';
import { listSharedFolder } from '@/lib/shares/list-shared-folder';
import { DownloadForm, FolderFiles, UnlockForm } from './share-forms';

export const metadata: Metadata = { title: 'Shared document', robots: { index: false, follow: false } };
export const dynamic = 'force-dynamic';

type TProps = {
  params: Promise<{ token: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const dateFormat = new Intl.DateTimeFormat('en-US', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'UTC',
});

/**
 * A recipient's page for a share link: no account, nothing that needs a session. A live link shows what it shares
 * and a Download button (a form POST, so link previews never spend a download), or first a password form. Every
 * dead or unknown link is the same 404 page "This link is not available" (not-found.tsx). Viewing is counted
 * against the rate limits but not logged as a use.
 */
export default async function SharedLinkPage({ params, searchParams }: TProps) {
  const { token } = await params;
  const failed = (await searchParams).failed;
  const address = clientAddressOf(await headers());
  let share: Awaited<ReturnType<typeof accessShareLink>>;
  try {
    share = await accessShareLink(db(), { token, address, logUse: false });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === 'RATE_LIMITED') return <Notice title="Please wait a moment">{error.message}</Notice>;
    if (error.code === 'UNAUTHORIZED')
      return (
        <Card title="This link is protected">
          <UnlockForm token={token} failed={failed === 'refused'} />
        </Card>
      );
    notFound();
  }
  const { link, document, folder } = share;
  const files = folder ? await listSharedFolder(db(), folder.id, 500) : null;
  return (
    <Card title={document?.name ?? folder?.name ?? ''}>
      <dl className="mt-4 grid grid-cols-[8rem_1fr] gap-y-1 text-sm text-slate-600">
        {document && (
          <>
            <dt>Size</dt>
            <dd data-testid="shared-size">{formatBytes(document.sizeBytes)}</dd>
          </>
        )}
        <dt>Link expires</dt>
        <dd data-testid="shared-expiry">{dateFormat.format(link.expiresAt)} UTC</dd>
        {link.downloadLimit !== null && (
          <>
            <dt>Downloads left</dt>
            <dd>{link.downloadLimit - link.downloadCount}</dd>
          </>
        )}
      </dl>
      {failed === 'refused' && (
        <p role="alert" className="mt-4 text-sm text-rose-700">
          This link is not available.
        </p>
      )}
      {failed === 'busy' && (
        <p role="alert" className="mt-4 text-sm text-rose-700">
          Too many attempts. Please try again in a minute.
        </p>
      )}
      {files && <FolderFiles files={files.map(({ path, sizeBytes }) => ({ path, sizeBytes }))} />}
      <DownloadForm token={token} password={null} label={folder ? 'Download as ZIP' : 'Download'} />
    </Card>
  );
}

function Card({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="mx-auto max-w-lg rounded-2xl border border-slate-200 bg-white p-8 shadow-sm">
      <p className="text-sm text-slate-500">Shared with you through SecureVault Docs</p>
      <h1 className="mt-1 break-words text-2xl font-semibold tracking-tight" data-testid="shared-name">
        {title}
      </h1>
      {children}
    </div>
  );
}

function Notice({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="mx-auto max-w-lg rounded-2xl border border-slate-200 bg-white p-8 text-center shadow-sm">
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      <p className="mt-2 text-slate-600">{children}</p>
    </div>
  );
}
