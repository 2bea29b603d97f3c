/**
 * A real indexing worker as a process of its own, for the worker-kill drill (`node --import tsx` this file with
 * the queue and, optionally, an extractor module): SVD's environment comes from the test's. Prints `ready` once
 * it works the queue.
 */
import pino from 'pino';
import { startIndexWorker } from '../lib/documents/index-worker';

const [queue, extractorModule] = process.argv.slice(2);
const databaseUrl = process.env.SVD_DATABASE_URL;
if (!queue || !databaseUrl)
  throw new Error('usage: index-worker-process.ts <queue> [extractor] with SVD_DATABASE_URL');
await startIndexWorker({
  databaseUrl,
  queue,
  pollingIntervalSeconds: 0.5,
  extraction: extractorModule ? { extractorModule } : {},
  log: pino({ level: 'warn' }),
});
console.log('ready');
