import { AppError } from '@omg/platform';
import { z } from 'zod';

/**
 * Where a page of the customer timeline ends: the last entry's time (PostgreSQL's microseconds, so entries within
 * one millisecond are not skipped or repeated), its source and key — the timeline's total order.
 */
export const ZTimelineCursorSchema = z.object({
  at: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/),
  source: z.string().regex(/^[a-z_]{1,40}$/),
  key: z.string().min(1).max(200),
});
export type TTimelineCursor = z.infer<typeof ZTimelineCursorSchema>;

export function encodeTimelineCursor(cursor: TTimelineCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.source, cursor.key])).toString('base64url');
}

/** The cursor from a `before` query value; a value that is not one is a 400, never a silently different page. */
export function decodeTimelineCursor(value: string): TTimelineCursor {
  try {
    const [at, source, key] = z
      .tuple([z.string(), z.string(), z.string()])
      .parse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    return ZTimelineCursorSchema.parse({ at, source, key });
  } catch {
    throw new AppError('BAD_REQUEST', 'This timeline page link is not valid.');
  }
}
