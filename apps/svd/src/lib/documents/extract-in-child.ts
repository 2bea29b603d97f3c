import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { TExtraction } from './extract-text';

/**
 * What stops a parser that hangs or swallows memory: a wall-clock limit for the whole child (start-up included),
 * V8's old-generation cap (--max-old-space-size), and, on Linux, a resident-memory watchdog for what V8 does not
 * count (typed arrays, native buffers). Overrun means SIGKILL.
 */
export interface TExtractionLimits {
  timeoutMs: number;
  maxOldGenerationMb: number;
  maxResidentMb: number;
}
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
/** The child is TypeScript like the worker; tsx's loader compiles it (as `npm run worker` runs under tsx). */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const STDERR_TAIL_BYTES = 8 * 1024;
const OUT_OF_MEMORY = /heap out of memory|Allocation failed|ERR_WORKER_OUT_OF_MEMORY/i;

/**
 * Extracts a stored document's text in a child process of its own: the child decrypts the blob in memory (its
 * plaintext never touches disk), runs the extractor and answers over IPC. The child is killed when it runs past
 * the time limit or the memory limits, and dies with its parent (a worker killed mid-job leaves no orphan).
 * Throws ExtractionFailedError saying why when no extraction comes back.
 */
export async function extractInChild(
  request: TExtractionRequest,
  options: TExtractInChildOptions = {},
): Promise<TExtraction> {
  const limits = { ...EXTRACTION_LIMITS, ...options.limits };
  const child = spawn(
    process.execPath,
    [
      `--max-old-space-size=${limits.maxOldGenerationMb}`,
      '--import',
      TSX_LOADER,
      CHILD_ENTRY,
      ...(options.extractorModule ? [options.extractorModule] : []),
    ],
    { stdio: ['ignore', 'inherit', 'pipe', 'ipc'], env: { ...process.env, ...options.env } },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
  });

  let killedFor: TExtractionFailure | null = null;
  const kill = (reason: TExtractionFailure) => {
    killedFor ??= reason;
    child.kill('SIGKILL');
  };
  const timer = setTimeout(() => kill('timeout'), limits.timeoutMs);
  const watchdog = setInterval(() => {
    void residentMb(child.pid).then((mb) => {
      if (mb !== null && mb > limits.maxResidentMb) kill('memory');
    });
  }, 250);
  const onAbort = () => kill('aborted');
  options.signal?.addEventListener('abort', onAbort, { once: true });

  try {
    const reply = await new Promise<TExtractionReply | null>((resolve, reject) => {
      let answer: TExtractionReply | null = null;
      child.on('message', (message) => {
        const parsed = ZExtractionReplySchema.safeParse(message);
        if (parsed.success) answer = parsed.data;
      });
      child.on('error', reject);
      // 'close', not 'exit': by then stderr is fully read (an out-of-memory report comes last).
      child.on('close', () => resolve(answer));
      child.send(request);
    });
    if (reply?.ok) return reply.extraction;
    if (reply && !reply.ok) {
      throw reply.unreadable
        ? new ExtractionFailedError('unreadable', 'the file could not be read', true, reply.message)
        : new ExtractionFailedError('crashed', 'its text could not be read', false, reply.message);
    }
    throw failureOf(killedFor ?? (OUT_OF_MEMORY.test(stderr) ? 'memory' : 'crashed'), limits, stderr);
  } finally {
    clearTimeout(timer);
    clearInterval(watchdog);
    options.signal?.removeEventListener('abort', onAbort);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

function failureOf(
  reason: TExtractionFailure,
  limits: TExtractionLimits,
  stderr: string,
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
        stderr.trim().split('\n').slice(-3).join(' | ') || undefined,
      );
  }
}

/** The child's resident memory in MB from /proc (Linux); null where that cannot be read. */
async function residentMb(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  try {
    const statm = await readFile(`/proc/${pid}/statm`, 'utf8');
    const pages = Number(statm.split(' ')[1]);
    return Number.isFinite(pages) ? (pages * 4096) / (1024 * 1024) : null;
  } catch {
    return null;
  }
}
