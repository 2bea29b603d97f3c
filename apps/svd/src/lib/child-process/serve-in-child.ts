import type { z } from 'zod';

/**
 * The child's side of runInChild, called once by the child's module: reads one request over IPC, answers it over
 * IPC, then exits. Without the parent (a worker killed with -9) nobody waits for the answer: it stops at once.
 */
export function serveInChild<TRequest, TReply>(
  requestSchema: z.ZodType<TRequest>,
  answer: (request: TRequest) => Promise<TReply>,
): void {
  process.on('disconnect', () => process.exit(0));
  process.once('message', (message) => {
    const request = requestSchema.parse(message);
    void answer(request).then((reply) => {
      process.send?.(reply, () => process.exit(0));
    });
  });
}
