import type { Emulator } from '../core';
import { type ListObject, newestFirst, paginate } from '../list';
import type { Params } from '../params';

export function listResponse<T extends { id: string }>(
  emulator: Emulator,
  items: T[],
  params: Params,
  url: string,
): ListObject<T> {
  const page = paginate(newestFirst(items), params, url);
  return { ...page, data: page.data.map((item) => emulator.view(item)) };
}

export function deleted(id: string, object: string): { id: string; object: string; deleted: true } {
  return { id, object, deleted: true };
}
