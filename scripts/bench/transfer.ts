/**
 * The encrypted upload and download of one large file over HTTP against SVD, and the raw copy and raw read of the
 * same bytes on the same disk as their baselines. The upload's memory is SVD's server (process tree) sampled while
 * it runs; every download is hashed and must equal the source.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as TWebReadableStream } from 'node:stream/web';
import type { TBenchStack } from './stack';
import { treeRssBytes } from './stack';

const MB = 1024 * 1024;

export async function writeRandomFile(file: string, bytes: number): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(file);
  for (let written = 0; written < bytes; written += MB) {
    const chunk = randomBytes(Math.min(MB, bytes - written));
    hash.update(chunk);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return hash.digest('hex');
}

const seconds = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;

/** Copies the file with plain streams (read, write, no crypto): what the disk and Node do without SVD. */
export async function rawCopy(source: string, scratch: string): Promise<{ mbPerSecond: number }> {
  const target = path.join(scratch, 'raw-copy.bin');
  const started = process.hrtime.bigint();
  await pipeline(createReadStream(source), createWriteStream(target));
  const elapsed = seconds(started);
  const { size } = await import('node:fs/promises').then((fs) => fs.stat(target));
  await rm(target);
  return { mbPerSecond: size / MB / elapsed };
}

/** Reads and hashes the file (what the download's client also does): the download's baseline. */
export async function rawRead(
  source: string,
): Promise<{ mbPerSecond: number; firstByteMs: number; sha256: string }> {
  const hash = createHash('sha256');
  const started = process.hrtime.bigint();
  let firstByteMs = -1;
  let bytes = 0;
  for await (const chunk of createReadStream(source)) {
    if (firstByteMs < 0) firstByteMs = seconds(started) * 1000;
    bytes += (chunk as Buffer).length;
    hash.update(chunk as Buffer);
  }
  return { mbPerSecond: bytes / MB / seconds(started), firstByteMs, sha256: hash.digest('hex') };
}

export async function encryptedUpload(
  stack: TBenchStack,
  input: { source: string; bytes: number; vaultId: string; cookie: string },
): Promise<{ mbPerSecond: number; memoryGrowthMb: number; documentId: string }> {
  const before = treeRssBytes(stack.pids.svd);
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, treeRssBytes(stack.pids.svd));
  }, 50);
  const started = process.hrtime.bigint();
  try {
    const query = new URLSearchParams({
      vaultId: input.vaultId,
      name: 'bench-256mb.bin',
      size: String(input.bytes),
    });
    const response = await fetch(`${stack.svdUrl}/api/uploads?${query}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        origin: stack.svdUrl,
        cookie: input.cookie,
      },
      body: Readable.toWeb(createReadStream(input.source)) as unknown as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    const text = await response.text();
    if (response.status !== 201) throw new Error(`upload: ${response.status} ${text}`);
    const elapsed = seconds(started);
    const { document } = JSON.parse(text) as { document: { id: string } };
    return {
      mbPerSecond: input.bytes / MB / elapsed,
      memoryGrowthMb: (peak - before) / MB,
      documentId: document.id,
    };
  } finally {
    clearInterval(sampler);
  }
}

export async function encryptedDownload(
  stack: TBenchStack,
  input: { documentId: string; cookie: string },
): Promise<{ mbPerSecond: number; firstByteMs: number; sha256: string; bytes: number }> {
  const started = process.hrtime.bigint();
  const response = await fetch(`${stack.svdUrl}/api/documents/${input.documentId}/download`, {
    headers: { cookie: input.cookie },
  });
  if (response.status !== 200 || !response.body) throw new Error(`download: ${response.status}`);
  const hash = createHash('sha256');
  let firstByteMs = -1;
  let bytes = 0;
  for await (const chunk of Readable.fromWeb(response.body as TWebReadableStream)) {
    if (firstByteMs < 0) firstByteMs = seconds(started) * 1000;
    bytes += (chunk as Buffer).length;
    hash.update(chunk as Buffer);
  }
  return { mbPerSecond: bytes / MB / seconds(started), firstByteMs, sha256: hash.digest('hex'), bytes };
}
