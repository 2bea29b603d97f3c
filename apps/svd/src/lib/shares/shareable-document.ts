import { schema } from '@omg/db';
import { and, eq, isNull, type SQL } from 'drizzle-orm';

/**
 * The documents a link may point at and serve: stored completely and not in the trash (issue 16 §3: a trashed
 * document's links answer "not available" until it is restored). One place, so every link query agrees.
 */
export function shareableDocument(): SQL {
  return and(eq(schema.document.state, 'ready'), isNull(schema.document.trashedAt)) as SQL;
}
