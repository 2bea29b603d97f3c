/**
 * Decodes Stripe's form encoding (`a[b][0][c]=v`, `expand[]=x`) into nested objects. Numeric segments become
 * array positions, so `line_items[0][price]` yields `{ line_items: [{ price }] }`.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

function decode(part: string): string {
  return decodeURIComponent(part.replace(/\+/g, ' '));
}

function splitKey(key: string): string[] {
  const first = key.indexOf('[');
  if (first === -1) return [key];
  const segments = [key.slice(0, first)];
  const re = /\[([^\]]*)\]/g;
  for (let m = re.exec(key.slice(first)); m; m = re.exec(key.slice(first))) segments.push(m[1] ?? '');
  return segments;
}

function assign(target: FormObject | FormValue[], segments: string[], value: string): void {
  const [head, ...rest] = segments;
  if (head === undefined) return;
  const isArray = Array.isArray(target);
  const key = isArray && head === '' ? String(target.length) : head;
  const container = target as Record<string, FormValue>;
  if (rest.length === 0) {
    container[key] = value;
    return;
  }
  const nextIsArray = rest[0] === '' || /^\d+$/.test(rest[0] ?? '');
  let child = container[key];
  if (child === undefined || typeof child === 'string') {
    child = nextIsArray ? [] : {};
    container[key] = child;
  }
  assign(child as FormObject | FormValue[], rest, value);
}

/** Arrays built from sparse indices (`[0]`, `[2]`) are compacted, as Stripe does. */
function compact(value: FormValue): FormValue {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(compact);
  const out: FormObject = {};
  for (const [k, v] of Object.entries(value)) out[k] = compact(v);
  return out;
}

export function parseForm(body: string): FormObject {
  const root: FormObject = {};
  if (!body) return root;
  for (const pair of body.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    assign(root, splitKey(decode(rawKey)), decode(rawValue));
  }
  return compact(root) as FormObject;
}
