import type { Router } from '../http/router';
import { createdFilter } from '../list';
import { listResponse } from './common';

export function registerEvents(router: Router): void {
  router.on('GET', '/v1/events/:id', ({ emulator, path }) => emulator.store.get('events', path.id ?? ''));

  router.on('GET', '/v1/events', ({ emulator, params }) => {
    const type = params.string('type');
    const types = params.stringArray('types');
    const created = createdFilter(params);
    // `type` accepts Stripe's `*` wildcard, e.g. `customer.subscription.*`.
    const typeMatches = (t: string) =>
      type === undefined || (type.endsWith('*') ? t.startsWith(type.slice(0, -1)) : t === type);
    const items = emulator.store
      .all('events')
      .filter(
        (e) => typeMatches(e.type) && (types.length === 0 || types.includes(e.type)) && created(e.created),
      );
    return listResponse(emulator, items, params, '/v1/events');
  });
}
