import { invalidParam } from './errors';
import type { Params } from './params';

export interface ListObject<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

/**
 * Stripe's cursor pagination over items already sorted newest first. Cursors are object ids, which keeps
 * the SDK's auto-pagination (`for await`) working.
 */
export function paginate<T extends { id: string }>(items: T[], params: Params, url: string): ListObject<T> {
  const limit = params.int('limit') ?? 10;
  if (limit < 1 || limit > 100) {
    throw invalidParam('limit', 'Invalid limit: must be between 1 and 100', 'parameter_invalid_integer');
  }
  const startingAfter = params.string('starting_after');
  const endingBefore = params.string('ending_before');
  let window = items;
  if (startingAfter) {
    const index = items.findIndex((item) => item.id === startingAfter);
    if (index === -1)
      throw invalidParam('starting_after', `No such object: '${startingAfter}'`, 'resource_missing');
    window = items.slice(index + 1);
  } else if (endingBefore) {
    const index = items.findIndex((item) => item.id === endingBefore);
    if (index === -1)
      throw invalidParam('ending_before', `No such object: '${endingBefore}'`, 'resource_missing');
    const before = items.slice(0, index);
    const data = before.slice(Math.max(0, before.length - limit));
    return { object: 'list', data, has_more: before.length > limit, url };
  }
  return { object: 'list', data: window.slice(0, limit), has_more: window.length > limit, url };
}

/** Newest first, as Stripe lists; ties on `created` keep reverse creation order. */
export function newestFirst<T>(items: T[]): T[] {
  return [...items].reverse();
}

/** The `created[gte]`-style range filter Stripe accepts on most lists. */
export function createdFilter(params: Params): (created: number) => boolean {
  const isRange = typeof params.raw.created === 'object';
  const exact = isRange ? undefined : params.int('created');
  const range = isRange ? params.object('created') : undefined;
  const gt = range?.int('gt');
  const gte = range?.int('gte');
  const lt = range?.int('lt');
  const lte = range?.int('lte');
  return (created) =>
    (exact === undefined || created === exact) &&
    (gt === undefined || created > gt) &&
    (gte === undefined || created >= gte) &&
    (lt === undefined || created < lt) &&
    (lte === undefined || created <= lte);
}
