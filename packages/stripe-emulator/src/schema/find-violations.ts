import type { SdkSchemas } from './generate-sdk-schemas';
import { type JsonSchema, refName } from './json-schema';

export interface Violation {
  /** `$.items.data[0].price.recurring`: where in the value. */
  path: string;
  /** The nearest named SDK type around that point (`Subscription.AutomaticTax`, `Charge`), if any. */
  type: string | null;
  message: string;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function matchesKind(schema: JsonSchema, value: unknown): boolean {
  const kind = kindOf(value);
  if (!schema.type) return true;
  return schema.type === kind;
}

/**
 * Every place a JSON value (a response body, an event) departs from an SDK type: a required field missing, a
 * field the type does not declare, a wrong kind of value, a value outside an enum (open enums included: the
 * emulator should only produce values the SDK lists). Unions are satisfied by any branch; when none fits, the
 * branch of the value's own kind explains why.
 */
export function findViolations(
  schemas: SdkSchemas,
  schema: JsonSchema,
  value: unknown,
  path = '$',
  enclosing: string | null = null,
): Violation[] {
  const out: Violation[] = [];
  const resolve = (s: JsonSchema): { schema: JsonSchema; name: string | null } => {
    let current = s;
    let name: string | null = null;
    for (let ref = refName(current); ref; ref = refName(current)) {
      name = ref;
      current = schemas.$defs[ref] ?? {};
    }
    return { schema: current, name };
  };

  const walk = (raw: JsonSchema, v: unknown, at: string, typeName: string | null): void => {
    const { schema: s, name } = resolve(raw);
    const type = name ?? typeName;
    if (s.oneOf && s.discriminator) {
      const key = (v as Record<string, unknown> | null)?.[s.discriminator.propertyName];
      const ref = typeof key === 'string' ? s.discriminator.mapping[key] : undefined;
      if (!ref)
        out.push({
          path: at,
          type,
          message: `no SDK type for ${s.discriminator.propertyName} ${JSON.stringify(key)}`,
        });
      else walk({ $ref: ref }, v, at, type);
      return;
    }
    if (s.anyOf) {
      const attempts = s.anyOf.map((branch) => {
        const sub = findViolations(schemas, branch, v, at, type);
        return { branch, sub };
      });
      if (attempts.some((a) => a.sub.length === 0)) return;
      const sameKind = attempts.filter((a) => matchesKind(resolve(a.branch).schema, v));
      const best = sameKind.sort((a, b) => a.sub.length - b.sub.length)[0];
      if (best) out.push(...best.sub);
      else {
        const kinds = s.anyOf.map((b) => resolve(b).name ?? resolve(b).schema.type ?? 'any').join(' | ');
        out.push({
          path: at,
          type,
          message: `expected ${kinds}, got ${kindOf(v)} ${JSON.stringify(v)?.slice(0, 60)}`,
        });
      }
      return;
    }
    if (s.type && !matchesKind(s, v) && !(s.type === 'number' && typeof v === 'number')) {
      out.push({
        path: at,
        type,
        message: `expected ${name ?? s.type}, got ${kindOf(v)} ${JSON.stringify(v)?.slice(0, 60)}`,
      });
      return;
    }
    if (s.enum && !s.enum.includes(v as string)) {
      out.push({
        path: at,
        type,
        message: `${JSON.stringify(v)} is not one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}`,
      });
      return;
    }
    if (s.type === 'array' && Array.isArray(v) && s.items) {
      v.forEach((item, i) => {
        walk(s.items as JsonSchema, item, `${at}[${i}]`, type);
      });
      return;
    }
    if (s.type === 'object' && v && typeof v === 'object') {
      const record = v as Record<string, unknown>;
      for (const key of s.required ?? []) {
        if (!(key in record))
          out.push({ path: `${at}.${key}`, type, message: 'missing (required by the SDK type)' });
      }
      for (const [key, item] of Object.entries(record)) {
        const property = s.properties?.[key];
        if (property) walk(property, item, `${at}.${key}`, type);
        else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
          walk(s.additionalProperties, item, `${at}.${key}`, type);
        } else if (s.additionalProperties === false) {
          out.push({ path: `${at}.${key}`, type, message: 'not declared by the SDK type' });
        }
      }
    }
  };

  walk(schema, value, path, enclosing);
  return out;
}
