import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { runInChild, type TChildLimits } from '../child-process/run-in-child';

/** The thumbnail child's limits, as extraction's (see TChildLimits): wall clock, V8 heap, resident memory. */
export type TRenderLimits = TChildLimits;
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

/**
 * Draws a stored document's thumbnail in a child process of its own (runInChild), as text extraction does (its
 * decoders — libvips, PDF.js — parse whatever was uploaded): the child decrypts the blob in memory, renders and
 * answers over IPC; it is killed past the time or memory limits and dies with its parent. Throws RenderFailedError.
 */
export async function renderInChild(
  request: TRenderRequest,
  options: TRenderInChildOptions = {},
): Promise<{ webp: Buffer; width: number; height: number }> {
  const limits = { ...RENDER_LIMITS, ...options.limits };
  const { reply, killedFor, stderrTail } = await runInChild({
    entry: CHILD_ENTRY,
    request,
    replySchema: ZRenderReplySchema,
    limits,
    env: options.env,
    signal: options.signal,
  });
  if (reply?.ok) {
    return { webp: Buffer.from(reply.webp, 'base64'), width: reply.width, height: reply.height };
  }
  if (reply) throw new RenderFailedError(reply.message, reply.permanent);
  if (killedFor === 'timeout') {
    throw new RenderFailedError(`drawing it took longer than ${Math.round(limits.timeoutMs / 1000)} s`, true);
  }
  if (killedFor === 'memory') throw new RenderFailedError('drawing it needed too much memory', true);
  if (killedFor === 'aborted') throw new RenderFailedError('the worker stopped while drawing it', false);
  throw new RenderFailedError('the thumbnail renderer stopped unexpectedly', false, stderrTail);
}
