import { invalidParam, missingParam } from './errors';
import type { FormObject, FormValue } from './form';

/** Typed readers over decoded form parameters; each raises Stripe's error for a bad or missing value. */
export class Params {
  constructor(
    readonly raw: FormObject,
    private readonly prefix = '',
  ) {}

  private name(key: string): string {
    return this.prefix ? `${this.prefix}[${key}]` : key;
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined;
  }

  string(key: string): string | undefined {
    const v = this.raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw invalidParam(this.name(key), `Invalid string: ${JSON.stringify(v)}`);
    return v;
  }

  requiredString(key: string): string {
    const v = this.string(key);
    if (v === undefined || v === '') throw missingParam(this.name(key));
    return v;
  }

  /** An empty string unsets a field on Stripe; callers get `null` for it. */
  nullableString(key: string): string | null | undefined {
    const v = this.string(key);
    return v === '' ? null : v;
  }

  int(key: string): number | undefined {
    const v = this.string(key);
    if (v === undefined || v === '') return undefined;
    if (!/^-?\d+$/.test(v))
      throw invalidParam(this.name(key), `Invalid integer: ${v}`, 'parameter_invalid_integer');
    return Number(v);
  }

  requiredInt(key: string): number {
    const v = this.int(key);
    if (v === undefined) throw missingParam(this.name(key));
    return v;
  }

  number(key: string): number | undefined {
    const v = this.string(key);
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) throw invalidParam(this.name(key), `Invalid decimal: ${v}`);
    return n;
  }

  bool(key: string): boolean | undefined {
    const v = this.string(key);
    if (v === undefined || v === '') return undefined;
    if (v !== 'true' && v !== 'false') throw invalidParam(this.name(key), `Invalid boolean: ${v}`);
    return v === 'true';
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const v = this.string(key);
    if (v === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(v)) {
      throw invalidParam(this.name(key), `Invalid ${this.name(key)}: must be one of ${allowed.join(', ')}`);
    }
    return v as T;
  }

  object(key: string): Params | undefined {
    const v = this.raw[key];
    if (v === undefined || v === '') return undefined;
    if (typeof v === 'string' || Array.isArray(v)) {
      throw invalidParam(this.name(key), `Invalid object: ${this.name(key)}`);
    }
    return new Params(v, this.name(key));
  }

  array(key: string): Params[] {
    const v = this.raw[key];
    if (v === undefined || v === '') return [];
    const items = Array.isArray(v) ? v : typeof v === 'object' ? Object.values(v) : null;
    if (!items) throw invalidParam(this.name(key), `Invalid array: ${this.name(key)}`);
    return items.map((item, i) => {
      if (typeof item !== 'object' || Array.isArray(item)) {
        throw invalidParam(`${this.name(key)}[${i}]`, `Invalid object: ${this.name(key)}[${i}]`);
      }
      return new Params(item, `${this.name(key)}[${i}]`);
    });
  }

  stringArray(key: string): string[] {
    const v: FormValue | undefined = this.raw[key];
    if (v === undefined || v === '') return [];
    if (typeof v === 'string') return [v];
    const items = Array.isArray(v) ? v : Object.values(v);
    return items.map((item) => {
      if (typeof item !== 'string') throw invalidParam(this.name(key), `Invalid array: ${this.name(key)}`);
      return item;
    });
  }

  /**
   * Metadata as Stripe merges it: keys with empty values are removed, an empty `metadata` clears everything.
   */
  metadata(current: Record<string, string> = {}): Record<string, string> | undefined {
    const v = this.raw.metadata;
    if (v === undefined) return undefined;
    if (v === '') return {};
    if (typeof v !== 'object' || Array.isArray(v)) throw invalidParam('metadata', 'Invalid metadata');
    const next = { ...current };
    for (const [k, value] of Object.entries(v)) {
      if (typeof value !== 'string') throw invalidParam(`metadata[${k}]`, 'Invalid metadata value');
      if (value === '') delete next[k];
      else next[k] = value;
    }
    return next;
  }

  expand(): string[] {
    return this.stringArray('expand');
  }
}
