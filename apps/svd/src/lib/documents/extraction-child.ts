/**
 * The child process of extractInChild (started by it, never imported): reads one request over IPC, decrypts the
 * stored document in memory, extracts its text and answers over IPC, then exits. It has SVD's environment (the
 * storage and its master key) and nothing else to do; the parent holds the time and memory limits.
 * argv[2], when given, names a module used in place of extract-text.ts (tests only).
 */
import { pathToFileURL } from 'node:url';
import { serveInChild } from '../child-process/serve-in-child';
import { BlobNotFoundError, IntegrityError, openDecrypted } from '../storage';
import { vaultStorage } from '../vault-storage';
import { type TExtractionReply, type TExtractionRequest, ZExtractionRequestSchema } from './extract-in-child';
import type { extractDocumentText as TExtractDocumentText } from './extract-text';

async function extractor(): Promise<typeof TExtractDocumentText> {
  const injected = process.argv[2];
  const module: { extractDocumentText: typeof TExtractDocumentText } = injected
    ? await import(pathToFileURL(injected).href)
    : await import('./extract-text');
  return module.extractDocumentText;
}

async function answer(request: TExtractionRequest): Promise<TExtractionReply> {
  try {
    const extractDocumentText = await extractor();
    const { store, masterKey } = vaultStorage();
    const source = await openDecrypted(store, masterKey, request);
    const extraction = await extractDocumentText(
      { source, mimeType: request.mimeType, fileName: request.fileName, sizeBytes: request.sizeBytes },
      { maxTextChars: request.maxTextChars },
    );
    return { ok: true, extraction };
  } catch (error) {
    return {
      ok: false,
      // A missing or damaged blob stays so: another attempt would read the same bytes.
      unreadable: error instanceof BlobNotFoundError || error instanceof IntegrityError,
      message: error instanceof Error ? error.message : String(error),
    };
  }
}

serveInChild(ZExtractionRequestSchema, answer);
