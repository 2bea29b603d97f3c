import { AppError, type TLogger, toErrorResponse } from '@omg/platform';
import { type Locker, Server } from '@tus/server';
import { recordTeamActivity } from '../activity/record-team-activity';
import { db } from '../db';
import { findVault } from '../documents/find-vault';
import { getVaultStatus } from '../entitlements/get-vault-status';
import { env } from '../env';
import { logger } from '../logger';
import { requireSpaceAction, type TSpace } from '../spaces/space';
import { vaultStorage } from '../vault-storage';
import { createResumableUpload } from './create-resumable-upload';
import { EncryptedTusStore } from './encrypted-tus-store';
import { findResumableUpload } from './find-resumable-upload';
import { TUS_PATH } from './resumable-upload.types';
import { createUploadLeaseLocker } from './upload-lease-locker';

/** Who sent a request, in which space (personal or team, with the role read now): apiRoute resolved it. */
interface TCaller extends TSpace {
  log: TLogger;
}

const callers = new WeakMap<Request, TCaller>();

const NOT_FOUND = { status_code: 404, body: 'This upload does not exist or has expired.\n' };

/** HEAD only reads the row, which moves only once the bytes it counts are stored: it needs no lock. */
const noLock: Locker = { newLock: () => ({ lock: async () => {}, unlock: async () => {} }) };

function callerOf(request: Request): TCaller {
  const caller = callers.get(request);
  // Only handleTusRequest reaches the server, and it registers the caller first.
  if (!caller) throw new Error('tus request without a caller');
  return caller;
}

function createTusServer(): Server {
  const locker = createUploadLeaseLocker(db);
  return new Server({
    path: TUS_PATH,
    relativeLocation: true,
    // Same-origin only: the vault page is the one client; tus would otherwise answer CORS with `*`.
    allowedOrigins: [new URL(env().SVD_URL).origin],
    disableTerminationForFinishedUploads: true,
    datastore: new EncryptedTusStore({ db, storage: vaultStorage, log: logger }),
    locker: (request) => (request.method === 'HEAD' ? noLock : locker),
    // Every request but creation names an upload: it must be the caller's (another user's is as missing as a
    // deleted one), and data is only accepted while the plan accepts uploads (read-only refuses).
    async onIncomingRequest(request, uploadId) {
      if (request.method === 'POST') return;
      const caller = callerOf(request);
      const upload = await findResumableUpload(db(), uploadId);
      if (!upload || upload.userId !== caller.userId) throw NOT_FOUND;
      // Its vault must still be open to the caller (a team vault limited to other members since: issue 15).
      if (request.method !== 'DELETE') await findVault(db(), { ...caller, vaultId: upload.vaultId });
      if (request.method === 'PATCH') {
        // A member made a viewer since the upload began sends no more bytes (issue 15).
        requireSpaceAction(caller, 'write');
        const status = await getVaultStatus(db(), caller);
        if (status.uploadBlockedReason) throw new AppError('FORBIDDEN', status.uploadBlockedReason);
      }
    },
    async onUploadCreate(request, upload) {
      const { log, ...space } = callerOf(request);
      if (upload.size === undefined)
        throw new AppError('BAD_REQUEST', 'Say how large the file is (Upload-Length).');
      await createResumableUpload(db(), vaultStorage(), {
        uploadId: upload.id,
        ...space,
        uploadLength: upload.size,
        metadata: upload.metadata ?? {},
        log,
      });
      return {};
    },
    // The team's activity log gets the finished upload, as a simple upload writes it (issue 15).
    async onUploadFinish(request, upload) {
      const { log: _log, ...space } = callerOf(request);
      const row = await findResumableUpload(db(), upload.id);
      if (row) {
        await recordTeamActivity(db(), space, request, {
          action: 'upload',
          subject: row.name,
          documentId: row.documentId,
          vaultId: row.vaultId,
        });
      }
      return {};
    },
    // Our own errors answer as every SVD route does ({ error: { code, message } }, the same statuses); tus's
    // protocol errors keep theirs. Anything else is a 500 that says nothing and is logged with the request id.
    onResponseError(request, error) {
      if ('status_code' in error && !(error instanceof AppError)) return undefined;
      const { status, body } = toErrorResponse(error);
      if (status >= 500) callers.get(request)?.log.error({ err: error }, 'resumable upload failed');
      return { status_code: status, body: JSON.stringify(body) };
    },
  });
}

const globalForTus = globalThis as unknown as { svdTusServer?: Server };

/**
 * The tus endpoint (issue 16 §7) behind app/api/uploads/tus: apiRoute has applied the origin rule and resolved
 * the live session; the server (one per process, stateless — everything is in PostgreSQL and the blob store)
 * handles the protocol through its Web Request/Response entry point.
 */
export function handleTusRequest(request: Request, caller: TCaller): Promise<Response> {
  globalForTus.svdTusServer ??= createTusServer();
  callers.set(request, caller);
  return globalForTus.svdTusServer.handleWeb(request);
}
