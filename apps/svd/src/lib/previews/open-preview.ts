import { Readable } from 'node:stream';
import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq, isNull } from 'drizzle-orm';
import { documentsOf, requireSpaceAction, type TSpace } from '../spaces/space';
import { IntegrityError, streamDecrypted, type TBlobStore } from '../storage';
import { mayPreview, PREVIEW_CONTENT_TYPES, previewKindOf } from './preview-kind';
import { readHead } from './read-head';
import { completeUtf8Length, decodeUtf8Prefix, SNIFF_BYTES, type TSniffedType } from './sniff-file-type';

/** A text preview is the file's first 256 KiB: enough to read, and a huge log never goes whole into memory. */
export const PREVIEW_TEXT_BYTES = 256 * 1024;

export const NO_PREVIEW_MESSAGE = 'No preview for this type; download it instead.';

export interface TPreview {
  name: string;
  vaultId: string;
  kind: TSniffedType;
  contentType: string;
  sizeBytes: number;
  /** True when a text preview stops short of the file. */
  truncated: boolean;
  body: Readable;
}

/**
 * A document's plaintext for viewing in the browser, only when its stored media type is a previewable one AND its
 * first bytes prove the same type (previewKindOf); anything else is refused with 415 before a byte leaves, so an
 * HTML, SVG, XML or script file — whatever it is called or labelled — is never served inline. Who may preview is
 * who may download (the space's documents, read in a team), on every plan and state; documents in the trash are
 * as missing as unknown ones. Text is served as its first PREVIEW_TEXT_BYTES, cut on a whole character.
 */
export async function openPreview(
  db: TDatabase,
  storage: { store: TBlobStore; masterKey: Buffer },
  input: TSpace & { documentId: string },
): Promise<TPreview> {
  requireSpaceAction(input, 'read');
  const [row] = await db
    .select()
    .from(schema.document)
    .where(
      and(
        eq(schema.document.id, input.documentId),
        documentsOf(input),
        eq(schema.document.state, 'ready'),
        // Issue 16's trash: a trashed document has no preview (lib/trash/live.ts's liveDocument).
        isNull(schema.document.trashedAt),
      ),
    );
  if (!row?.storageKey || !row.wrappedKey) throw new AppError('NOT_FOUND', 'That document does not exist.');
  // Refused on the stored type alone before anything is decrypted (the bytes can only narrow it further).
  if (!mayPreview(row.mimeType)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', NO_PREVIEW_MESSAGE);
  }
  let plaintext: Readable;
  try {
    plaintext = await streamDecrypted(storage.store, storage.masterKey, {
      storageKey: row.storageKey,
      wrappedKey: row.wrappedKey,
    });
  } catch (error) {
    if (error instanceof IntegrityError)
      throw new AppError('INTEGRITY_FAILED', error.message, { cause: error });
    throw error;
  }
  const limit = row.mimeType.toLowerCase().startsWith('text/') ? PREVIEW_TEXT_BYTES + 1 : SNIFF_BYTES;
  const { head, rest } = await readHead(plaintext, limit);
  const kind = previewKindOf(row.mimeType, head);
  if (!kind) {
    plaintext.destroy();
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', NO_PREVIEW_MESSAGE);
  }
  const base = { name: row.name, vaultId: row.vaultId, kind, contentType: PREVIEW_CONTENT_TYPES[kind] };
  if (kind === 'text') {
    plaintext.destroy();
    const truncated = head.length > PREVIEW_TEXT_BYTES;
    const cut = truncated ? head.subarray(0, completeUtf8Length(head.subarray(0, PREVIEW_TEXT_BYTES))) : head;
    // All of what is served must be text, not only its start: binary further in means no preview.
    if (decodeUtf8Prefix(cut) === null) throw new AppError('UNSUPPORTED_MEDIA_TYPE', NO_PREVIEW_MESSAGE);
    return { ...base, sizeBytes: cut.length, truncated, body: Readable.from([cut]) };
  }
  return {
    ...base,
    sizeBytes: row.sizeBytes,
    truncated: false,
    body: Readable.from(rest, { objectMode: false }),
  };
}
