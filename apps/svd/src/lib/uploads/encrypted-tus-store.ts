import type { Readable } from 'node:stream';
import type { TDatabase } from '@omg/db';
import type { TLogger } from '@omg/platform';
import { DataStore, ERRORS, Upload } from '@tus/server';
import type { TBlobStore } from '../storage';
import { appendToResumableUpload } from './append-to-resumable-upload';
import { discardResumableUpload } from './discard-resumable-upload';
import { findResumableUpload } from './find-resumable-upload';
import { UPLOAD_EXPIRY_MS } from './resumable-upload.types';
import { sweepExpiredUploads } from './sweep-expired-uploads';

export interface TEncryptedTusStoreDeps {
  db: () => TDatabase;
  storage: () => { store: TBlobStore; masterKey: Buffer };
  log: TLogger;
  indexQueue?: string;
}

/**
 * @tus/server's DataStore over SVD's encrypted storage: uploads are written as the segmented, encrypted blob
 * format (append-to-resumable-upload.ts), their state lives in securevault."ResumableUpload", and nothing is
 * kept in the process, so any instance can continue any upload. Creation's checks and the quota reservation
 * run in the server's onUploadCreate hook (it knows the user); `create` here only finishes an empty upload,
 * which tus completes without a PATCH. No 'creation-defer-length': every upload declares its length, which is
 * what the largest-file limit and the quota are checked against before any byte is stored.
 */
export class EncryptedTusStore extends DataStore {
  constructor(private readonly deps: TEncryptedTusStoreDeps) {
    super();
    this.extensions = ['creation', 'creation-with-upload', 'termination', 'expiration'];
  }

  override async create(upload: Upload): Promise<Upload> {
    if (upload.size === 0) await this.write((async function* () {})(), upload.id, 0);
    return upload;
  }

  override async write(
    stream: Readable | AsyncIterable<unknown>,
    id: string,
    offset: number,
  ): Promise<number> {
    return appendToResumableUpload(this.deps.db(), this.deps.storage(), {
      uploadId: id,
      offset,
      body: stream,
      log: this.deps.log,
      indexQueue: this.deps.indexQueue,
    });
  }

  override async getUpload(id: string): Promise<Upload> {
    const row = await findResumableUpload(this.deps.db(), id);
    if (!row) throw ERRORS.FILE_NOT_FOUND;
    return new Upload({
      id,
      size: row.uploadLength,
      offset: row.receivedBytes,
      metadata: row.metadata,
      // tus reckons expiry as creation date + getExpiration(); ours slides with progress, so the date given is
      // the one that makes tus's reckoning land on the row's own deadline.
      creation_date: new Date(row.expiresAt.getTime() - UPLOAD_EXPIRY_MS).toISOString(),
    });
  }

  override async remove(id: string): Promise<void> {
    await discardResumableUpload(this.deps.db(), this.deps.storage().store, {
      uploadId: id,
      why: 'terminated',
      log: this.deps.log,
    });
  }

  override getExpiration(): number {
    return UPLOAD_EXPIRY_MS;
  }

  override async deleteExpired(): Promise<number> {
    const report = await sweepExpiredUploads(this.deps.db(), this.deps.storage().store, {
      log: this.deps.log,
    });
    return report.released.length;
  }
}
