/**
 * `expand[]` support: walks a dotted path through a JSON copy of an object, replacing id strings with the
 * objects they name. Lists are walked through their `data` segment, as Stripe requires in the path.
 */
export type Resolve = (field: string, id: string) => unknown;

/**
 * Includable fields (`invoice.payments`) are absent from an object until `expand[]` names them; this returns
 * the value to add, or undefined when `field` is not includable on `parent`.
 */
export type Include = (field: string, parent: Record<string, unknown>) => unknown;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expandAt(target: unknown, segments: string[], resolve: Resolve, include?: Include): unknown {
  if (segments.length === 0) return target;
  if (Array.isArray(target)) return target.map((item) => expandAt(item, segments, resolve, include));
  if (!isObject(target)) return target;
  const [head, ...rest] = segments;
  if (head === undefined) return target;
  if (!(head in target)) {
    const included = include?.(head, target);
    if (included === undefined) return target;
    target[head] = JSON.parse(JSON.stringify(included));
  }
  const one = (value: unknown): unknown => {
    if (typeof value !== 'string') return value;
    const resolved = resolve(head, value);
    return resolved === undefined ? value : JSON.parse(JSON.stringify(resolved));
  };
  const value = target[head];
  // Arrays of ids (`discounts`) expand element by element.
  const expanded = Array.isArray(value) ? value.map(one) : one(value);
  target[head] = expandAt(expanded, rest, resolve, include);
  return target;
}

export function expand<T>(obj: T, paths: string[], resolve: Resolve, include?: Include): T {
  if (paths.length === 0) return obj;
  let copy: unknown = JSON.parse(JSON.stringify(obj));
  const sorted = [...paths].sort((a, b) => a.split('.').length - b.split('.').length);
  for (const path of sorted) copy = expandAt(copy, path.split('.'), resolve, include);
  return copy as T;
}
