import { invalidRequest } from '../errors';
import type { Router } from '../http/router';
import type { Kind } from '../store';

type Searchable = { id: string; metadata?: Record<string, string> | null };

/**
 * The subset of Stripe's search query language worth emulating: `field:'value'` (exact, on a top-level
 * field; ids count as the field's value) and `metadata['key']:'value'`, joined by AND.
 */
export function searchMatcher(query: string): (obj: Searchable) => boolean {
  const clauses = query.split(/\s+AND\s+/i).map((clause) => {
    const m = /^(\w+)(?:\[['"](.+)['"]\])?\s*:\s*['"](.*)['"]$/.exec(clause.trim());
    if (!m) throw invalidRequest(`Invalid search query: ${query}`, 'query');
    const [, field = '', key, value] = m;
    return (obj: Searchable): boolean => {
      if (field === 'metadata') return key !== undefined && obj.metadata?.[key] === value;
      const actual = (obj as Record<string, unknown>)[field];
      if (actual === null || actual === undefined) return false;
      if (typeof actual === 'object' && 'id' in actual) return (actual as { id: unknown }).id === value;
      return String(actual) === value;
    };
  });
  return (obj) => clauses.every((match) => match(obj));
}

/** `GET /v1/<resource>/search` for a collection, answering Stripe's `search_result` object. */
export function registerSearch(router: Router, resource: string, kind: Kind): void {
  const url = `/v1/${resource}/search`;
  router.on('GET', url, ({ emulator, params }) => {
    const match = searchMatcher(params.requiredString('query'));
    const data = (emulator.store.all(kind) as Searchable[])
      .filter(match)
      .reverse()
      .map((o) => emulator.view(o));
    const limit = params.int('limit') ?? 10;
    return {
      object: 'search_result',
      data: data.slice(0, limit),
      has_more: data.length > limit,
      next_page: null,
      url,
    };
  });
}
