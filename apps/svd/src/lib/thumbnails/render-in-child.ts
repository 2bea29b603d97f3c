import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';

/** The thumbnail child's limits, as extraction's (extract-in-child.ts): wall clock, V8 heap, resident memory. */
export interface TRenderLimits {
  timeoutMs: number;
  maxOldGenerationMb: number;
  maxResidentMb: number;
}
export const RENDER_LIMITS: TRenderLimits = {
  timeoutMs: 20_000,
  maxOldGenerationMb: 256,
  maxResidentMb: 768,
};

export const ZRenderRequestSchema = z.object({
  storageKey: z.string().min(1),
  wrappedKey: z.string().min(1),
  mimeType: z.string(),
  /** The document's plaintext size: the child refuses a blob that decrypts to more. */
  sizeBytes: z.number().int().nonnegative(),
});
export type TRenderRequest = z.infer<typeof ZRenderRequestSchema>;

export const ZRenderReplySchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    /** The WebP, base64 (a few KB). */
    webp: z.string().min(1),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
  }),
  z.object({ ok: z.literal(false), permanent: z.boolean(), message: z.string() }),
]);
export type TRenderReply = z.infer<typeof ZRenderReplySchema>;

/** Why no thumbnail came back; `permanent` failures are recorded at once instead of retried. */
export class RenderFailedError extends Error {
  constructor(
    /** In words for the thumbnail's note. */
    readonly explanation: string,
    readonly permanent: boolean,
    detail?: string,
  ) {
    super(detail ? `${explanation} (${detail})` : explanation);
    this.name = 'RenderFailedError';
  }
}

export interface TRenderInChildOptions {
  limits?: Partial<TRenderLimits>;
  /** Added to the child's environment: where its storage is, when it is not the app's (tests). */
  env?: Record<string, string>;
  /** Aborting kills the child (a worker shutting down); the job is then retried. */
  signal?: AbortSignal;
}

const CHILD_ENTRY = fileURLToPath(new URL('./thumbnail-child.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const STDERR_TAIL_BYTES = 8 * 1024;

/**
 * Draws a stored document's thumbnail in a child process of its own, as text extraction does (its decoders —
 * libvips, PDF.js — parse whatever was uploaded): the child decrypts the blob in memory, renders and answers
 * over IPC; it is killed past the time or memory limits and dies with its parent. Throws RenderFailedError.
 */
export async function renderInChild(
  request: TRenderRequest,
  options: TRenderInChildOptions = {},
): Promise<{ webp: Buffer; width: number; height: number }> {
  const limits = { ...RENDER_LIMITS, ...options.limits };
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${limits.maxOldGenerationMb}`, '--import', TSX_LOADER, CHILD_ENTRY],
    { stdio: ['ignore', 'inherit', 'pipe', 'ipc'], env: { ...process.env, ...options.env } },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
  });
  let killedFor: 'timeout' | 'memory' | 'aborted' | null = null;
  const kill = (reason: 'timeout' | 'memory' | 'aborted') => {
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
    const reply = await new Promise<TRenderReply | null>((resolve, reject) => {
      let answer: TRenderReply | null = null;
      child.on('message', (message) => {
        const parsed = ZRenderReplySchema.safeParse(message);
        if (parsed.success) answer = parsed.data;
      });
      child.on('error', reject);
      child.on('close', () => resolve(answer));
      child.send(request);
    });
    if (reply?.ok) {
      return { webp: Buffer.from(reply.webp, 'base64'), width: reply.width, height: reply.height };
    }
    if (reply) throw new RenderFailedError(reply.message, reply.permanent);
    if (killedFor === 'timeout') {
      throw new RenderFailedError(
        `drawing it took longer than ${Math.round(limits.timeoutMs / 1000)} s`,
        true,
      );
    }
    if (killedFor === 'memory') throw new RenderFailedError('drawing it needed too much memory', true);
    if (killedFor === 'aborted') throw new RenderFailedError('the worker stopped while drawing it', false);
    throw new RenderFailedError(
      'the thumbnail renderer stopped unexpectedly',
      false,
      stderr.trim().split('\n').slice(-3).join(' | ') || undefined,
    );
  } finally {
    clearTimeout(timer);
    clearInterval(watchdog);
    options.signal?.removeEventListener('abort', onAbort);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
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
