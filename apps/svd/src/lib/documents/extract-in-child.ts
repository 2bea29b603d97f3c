import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { runInChild, type TChildLimits } from '../child-process/run-in-child';
import type { TExtraction } from './extract-text';

/** The extraction child's limits (see TChildLimits): wall clock, V8 heap, resident memory. */
export type TExtractionLimits = TChildLimits;
export const EXTRACTION_LIMITS: TExtractionLimits = {
  timeoutMs: 30_000,
  maxOldGenerationMb: 256,
  maxResidentMb: 768,
};

export interface TExtractInChildOptions {
  limits?: Partial<TExtractionLimits>;
  /**
   * A module (absolute path) exporting `extractDocumentText` in place of extract-text.ts — tests inject parsers
   * that hang, blow up or crawl this way. Production never sets it.
   */
  extractorModule?: string;
  /** Added to the child's environment: where its storage is, when it is not the app's (tests). */
  env?: Record<string, string>;
  /** Aborting kills the child (a worker shutting down); the job is then retried elsewhere. */
  signal?: AbortSignal;
}

export const ZExtractionRequestSchema = z.object({
  storageKey: z.string().min(1),
  wrappedKey: z.string().min(1),
  mimeType: z.string(),
  fileName: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  maxTextChars: z.number().int().positive(),
});
export type TExtractionRequest = z.infer<typeof ZExtractionRequestSchema>;

export const ZExtractionReplySchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    extraction: z.object({
      kind: z.enum(['pdf', 'text', 'other']),
      units: z.number().int().nonnegative(),
      text: z.string().nullable(),
      pages: z.number().int().nullable(),
      skippedReason: z.string().nullable(),
    }),
  }),
  z.object({ ok: z.literal(false), unreadable: z.boolean(), message: z.string() }),
]);
export type TExtractionReply = z.infer<typeof ZExtractionReplySchema>;

export type TExtractionFailure = 'timeout' | 'memory' | 'unreadable' | 'crashed' | 'aborted';

/** Why a document's text could not be extracted; `permanent` failures are not worth another attempt. */
export class ExtractionFailedError extends Error {
  constructor(
    readonly reason: TExtractionFailure,
    /** In words for the document's note: "could not be indexed: <this>". */
    readonly explanation: string,
    readonly permanent: boolean,
    detail?: string,
  ) {
    super(detail ? `${explanation} (${detail})` : explanation);
    this.name = 'ExtractionFailedError';
  }
}

const CHILD_ENTRY = fileURLToPath(new URL('./extraction-child.ts', import.meta.url));
const OUT_OF_MEMORY = /heap out of memory|Allocation failed|ERR_WORKER_OUT_OF_MEMORY/i;

/**
 * Extracts a stored document's text in a child process of its own (runInChild): the child decrypts the blob in
 * memory (its plaintext never touches disk), runs the extractor and answers over IPC; it is killed past the time
 * or memory limits and dies with its parent. Throws ExtractionFailedError saying why when no extraction comes back.
 */
export async function extractInChild(
  request: TExtractionRequest,
  options: TExtractInChildOptions = {},
): Promise<TExtraction> {
  const limits = { ...EXTRACTION_LIMITS, ...options.limits };
  const { reply, killedFor, stderr, stderrTail } = await runInChild({
    entry: CHILD_ENTRY,
    args: options.extractorModule ? [options.extractorModule] : [],
    request,
    replySchema: ZExtractionReplySchema,
    limits,
    env: options.env,
    signal: options.signal,
  });
  if (reply?.ok) return reply.extraction;
  if (reply && !reply.ok) {
    throw reply.unreadable
      ? new ExtractionFailedError('unreadable', 'the file could not be read', true, reply.message)
      : new ExtractionFailedError('crashed', 'its text could not be read', false, reply.message);
  }
  throw failureOf(killedFor ?? (OUT_OF_MEMORY.test(stderr) ? 'memory' : 'crashed'), limits, stderrTail);
}

function failureOf(
  reason: TExtractionFailure,
  limits: TExtractionLimits,
  stderrTail: string | undefined,
): ExtractionFailedError {
  switch (reason) {
    case 'timeout':
      return new ExtractionFailedError(
        'timeout',
        `reading its text took longer than ${Math.round(limits.timeoutMs / 1000)} s`,
        true,
      );
    case 'memory':
      return new ExtractionFailedError('memory', 'reading its text needed too much memory', true);
    case 'aborted':
      return new ExtractionFailedError('aborted', 'the worker stopped while reading its text', false);
    default:
      return new ExtractionFailedError(
        'crashed',
        'the text extractor stopped unexpectedly',
        false,
        stderrTail,
      );
  }
}
