import { Readable } from 'node:stream';
import { AppError, stripControlAndInvisible, type TLogger } from '@omg/platform';
import { ZipArchive } from 'archiver';
import { IntegrityError, streamDecrypted, type TBlobStore } from '../storage';
import { numberedName } from '../versions/numbered-name';

/** One file of a ZIP: a stored (encrypted) document and where it goes inside the archive. */
export interface TZipItem {
  document: { storageKey: string; wrappedKey: string; updatedAt?: Date | null };
  /** "name.pdf" or "Folder/Sub/name.pdf"; made safe and unique by zipEntryNames. */
  pathInZip: string;
}

// Characters Windows refuses in a file name; an archive made here must unpack everywhere.
const RESERVED = /[<>:"|?*\\]/g;

function safeSegments(path: string): string[] {
  return stripControlAndInvisible(path)
    .split('/')
    .map((segment) => segment.replace(RESERVED, '_').trim())
    .filter((segment) => segment !== '')
    .map((segment) => (segment === '.' || segment === '..' ? '_' : segment));
}

/**
 * The names the items get inside the archive, in order: control and invisible characters dropped, no empty,
 * `.` or `..` segment (so nothing unpacks outside the folder it is unpacked into), never absolute, no
 * characters Windows refuses, and unique the way case-insensitive file systems compare names — a second
 * "a.pdf" in the same folder becomes "a (2).pdf", a third "a (3).pdf". A file never takes a folder's name.
 */
export function zipEntryNames(paths: readonly string[]): string[] {
  const taken = new Set<string>();
  return paths.map((path) => {
    const segments = safeSegments(path);
    const file = segments.pop() ?? 'file';
    const folder = segments.length ? `${segments.join('/')}/` : '';
    let name = `${folder}${file}`;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${folder}${numberedName(file, n)}`;
    taken.add(name.toLowerCase());
    // Every enclosing folder is taken too, so no later file is named like one of them.
    for (let i = 1; i <= segments.length; i++) taken.add(segments.slice(0, i).join('/').toLowerCase());
    return name;
  });
}

async function openItem(
  storage: { store: TBlobStore; masterKey: Buffer },
  item: TZipItem,
): Promise<Readable> {
  try {
    return await streamDecrypted(storage.store, storage.masterKey, item.document);
  } catch (error) {
    if (error instanceof IntegrityError)
      throw new AppError('INTEGRITY_FAILED', error.message, { cause: error });
    throw error;
  }
}

/** Resolves once the archive has taken all of `body`; rejects if the body or the archive fails or closes. */
function entryWritten(archive: ZipArchive, body: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      archive.off('entry', onEntry);
      archive.off('error', onError);
      archive.off('close', onClose);
      body.off('error', onError);
    };
    const onEntry = () => {
      cleanup();
      resolve();
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => onError(new Error('the archive was closed before the entry was written'));
    archive.on('entry', onEntry);
    archive.on('error', onError);
    archive.on('close', onClose);
    body.on('error', onError);
  });
}

/**
 * A ZIP of the given documents as a web stream, each decrypted as it is written (issue 16 §6): one document is
 * open at a time, and the archive is a Node stream under backpressure, so only a segment or two of each file
 * and the stream buffers are ever in memory — never the archive, nothing on disk. Entries are stored, not
 * deflated: most documents (PDFs, images, office files) are compressed already, and the server's CPU stays free.
 *
 * The first document is opened before this returns, so a missing blob or a damaged header of it is an error
 * the caller answers as such. Any later failure — a blob gone, a damaged segment (streamDecrypted's tag checks),
 * the store erroring — destroys the stream: the archive never gets its central directory and the HTTP
 * response ends without its last chunk, so the client sees a failed download, not a shorter ZIP that looks
 * whole. The caller authorizes the documents; this only reads what it is given.
 */
export async function streamZip(
  storage: { store: TBlobStore; masterKey: Buffer },
  items: readonly TZipItem[],
  options: { log?: TLogger } = {},
): Promise<ReadableStream<Uint8Array>> {
  const names = zipEntryNames(items.map((item) => item.pathInZip));
  let next: Readable | null = items[0] ? await openItem(storage, items[0]) : null;
  const archive = new ZipArchive({ store: true });

  async function write(): Promise<void> {
    for (const [index, item] of items.entries()) {
      const body = next ?? (await openItem(storage, item));
      next = null;
      if (archive.destroyed) {
        body.destroy();
        return;
      }
      const written = entryWritten(archive, body);
      archive.append(body, { name: names[index] ?? 'file', date: item.document.updatedAt ?? new Date() });
      try {
        await written;
      } catch (error) {
        body.destroy();
        throw error;
      }
    }
    await archive.finalize();
  }

  write().catch((error: unknown) => {
    next?.destroy();
    if (!archive.destroyed) {
      options.log?.error({ err: error }, 'ZIP download stopped: a document could not be read');
      archive.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  });
  // A client that goes away cancels the web stream, which destroys the archive; the loop above then stops
  // (entryWritten rejects on 'close') and destroys the document it was reading.
  return Readable.toWeb(archive) as unknown as ReadableStream<Uint8Array>;
}
