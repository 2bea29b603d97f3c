import { type Serializable, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';

/**
 * What stops a parser that hangs or swallows memory: a wall-clock limit for the whole child (start-up included),
 * V8's old-generation cap (--max-old-space-size), and, on Linux, a resident-memory watchdog for what V8 does not
 * count (typed arrays, native buffers). Overrun means SIGKILL.
 */
export interface TChildLimits {
  timeoutMs: number;
  maxOldGenerationMb: number;
  maxResidentMb: number;
}

/** Why the parent killed the child, when it did. */
export type TChildKill = 'timeout' | 'memory' | 'aborted';

export interface TRunInChildInput<TReply> {
  /** The child's module (absolute path), which answers one request with serveInChild. */
  entry: string;
  /** More arguments for the child, after its module. */
  args?: string[];
  /** Sent to the child over IPC. */
  request: Serializable;
  /** What counts as the child's answer; any other message is ignored. */
  replySchema: z.ZodType<TReply>;
  limits: TChildLimits;
  /** Added to the child's environment: where its storage is, when it is not the app's (tests). */
  env?: Record<string, string>;
  /** Aborting kills the child (a worker shutting down). */
  signal?: AbortSignal;
}

export interface TChildOutcome<TReply> {
  /** The child's last valid answer; null when none came. */
  reply: TReply | null;
  /** Set when the parent killed the child. */
  killedFor: TChildKill | null;
  /** The end of the child's stderr (its last 8 KB), read to the end. */
  stderr: string;
  /** The last three lines of that, joined, for an error's detail; undefined when it said nothing. */
  stderrTail: string | undefined;
}

/** The child is TypeScript like the worker; tsx's loader compiles it (as `npm run worker` runs under tsx). */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const STDERR_TAIL_BYTES = 8 * 1024;

/**
 * Runs one request in a child process of its own (text extraction, thumbnails: decoders that parse whatever was
 * uploaded) and waits for it to end: the child answers over IPC; it is killed when it runs past the time limit or
 * the memory limits, and dies with its parent (a worker killed mid-job leaves no orphan). Never throws for what
 * the child did — the caller words the outcome — only when the child cannot be started.
 */
export async function runInChild<TReply>(input: TRunInChildInput<TReply>): Promise<TChildOutcome<TReply>> {
  const { limits } = input;
  const child = spawn(
    process.execPath,
    [
      `--max-old-space-size=${limits.maxOldGenerationMb}`,
      '--import',
      TSX_LOADER,
      input.entry,
      ...(input.args ?? []),
    ],
    { stdio: ['ignore', 'inherit', 'pipe', 'ipc'], env: { ...process.env, ...input.env } },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
  });

  let killedFor: TChildKill | null = null;
  const kill = (reason: TChildKill) => {
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
  input.signal?.addEventListener('abort', onAbort, { once: true });

  try {
    const reply = await new Promise<TReply | null>((resolve, reject) => {
      let answer: TReply | null = null;
      child.on('message', (message) => {
        const parsed = input.replySchema.safeParse(message);
        if (parsed.success) answer = parsed.data;
      });
      child.on('error', reject);
      // 'close', not 'exit': by then stderr is fully read (an out-of-memory report comes last).
      child.on('close', () => resolve(answer));
      child.send(input.request);
    });
    return {
      reply,
      killedFor,
      stderr,
      stderrTail: stderr.trim().split('\n').slice(-3).join(' | ') || undefined,
    };
  } finally {
    clearTimeout(timer);
    clearInterval(watchdog);
    input.signal?.removeEventListener('abort', onAbort);
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
