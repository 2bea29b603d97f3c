import { ApiError, invalidParam, missingParam } from '../errors';
import type { FormObject, FormValue } from '../form';
import type { SdkSchemas } from './generate-sdk-schemas';
import { type JsonSchema, refName } from './json-schema';

/** Stripe's documented metadata limits. */
const METADATA_MAX_KEYS = 50;
const METADATA_MAX_KEY_LENGTH = 40;
const METADATA_MAX_VALUE_LENGTH = 500;

export type RequestValidator = (operation: string, params: FormObject) => void;

function unknownParam(param: string): ApiError {
  return new ApiError(
    400,
    'invalid_request_error',
    `Received unknown parameter: ${param}`,
    'parameter_unknown',
    param,
  );
}

function emptyNotAllowed(param: string): ApiError {
  return invalidParam(
    param,
    `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`,
    'parameter_invalid_empty',
  );
}

/** A bad enum or boolean: Stripe's answers we have seen carry a message and `param` but no `code`. */
function invalidValue(param: string, message: string): ApiError {
  return new ApiError(400, 'invalid_request_error', message, undefined, param);
}

function child(path: string, key: string): string {
  return path ? `${path}[${key}]` : key;
}

function oneOfList(values: ReadonlyArray<string | number | boolean>): string {
  // `''` (an Emptyable's "unset") is no value to offer.
  const words = values.map(String).filter((word) => word !== '');
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')}, or ${words[words.length - 1]}`;
}

/**
 * Checks decoded form parameters (every value a string, arrays and objects from bracketed keys) against an
 * operation's params schema, raising the error Stripe raises for the first problem: `parameter_unknown` for a
 * name the SDK does not declare, `parameter_missing`, `parameter_invalid_empty` for `''` where nothing can be
 * unset, `parameter_invalid_integer` for a non-number, enum and boolean messages, metadata limits.
 */
export function createRequestValidator(schemas: SdkSchemas): RequestValidator {
  const byOperation = new Map(schemas.operations.map((op) => [`${op.httpMethod} ${op.path}`, op.params]));

  const resolve = (schema: JsonSchema): JsonSchema => {
    let current = schema;
    for (let name = refName(current); name; name = refName(current)) current = schemas.$defs[name] ?? {};
    return current;
  };

  const acceptsEmpty = (schema: JsonSchema): boolean => {
    const s = resolve(schema);
    if (s.type === 'null' || (s.type === 'string' && !s.enum)) return true;
    if (s.enum?.includes('')) return true;
    return (s.anyOf ?? []).some(acceptsEmpty);
  };

  const shapeOf = (value: FormValue): 'scalar' | 'compound' =>
    typeof value === 'string' ? 'scalar' : 'compound';

  const fits = (schema: JsonSchema, value: FormValue): boolean => {
    const s = resolve(schema);
    if (s.anyOf) return s.anyOf.some((b) => fits(b, value));
    // `null` arrives as `''`, which the caller settles before looking for a branch.
    if (s.type === 'null') return false;
    if (shapeOf(value) === 'scalar') return s.type !== 'object' && s.type !== 'array';
    return s.type === 'object' || s.type === 'array' || s.type === undefined;
  };

  const checkMetadata = (value: FormObject, path: string) => {
    const keys = Object.keys(value);
    if (keys.length > METADATA_MAX_KEYS) {
      throw invalidValue(
        path,
        `Invalid ${path}: metadata can have at most ${METADATA_MAX_KEYS} keys, but you passed in ${keys.length} keys.`,
      );
    }
    for (const key of keys) {
      if (key.length > METADATA_MAX_KEY_LENGTH) {
        throw invalidValue(
          child(path, key),
          `Metadata keys can have up to ${METADATA_MAX_KEY_LENGTH} characters, but you passed in a key of ${key.length} characters: '${key}'.`,
        );
      }
      const v = value[key];
      if (typeof v === 'string' && v.length > METADATA_MAX_VALUE_LENGTH) {
        throw invalidValue(
          child(path, key),
          `Metadata values can have up to ${METADATA_MAX_VALUE_LENGTH} characters, but you passed in a value of ${v.length} characters for '${key}'.`,
        );
      }
    }
  };

  const check = (schema: JsonSchema, value: FormValue, path: string): void => {
    const name = refName(schema);
    const s = resolve(schema);
    if (s.anyOf) {
      if (value === '') {
        if (acceptsEmpty(s)) return;
        throw emptyNotAllowed(path);
      }
      const candidates = s.anyOf.filter((b) => fits(b, value));
      let first: unknown = null;
      for (const branch of candidates) {
        try {
          check(branch, value, path);
          return;
        } catch (e) {
          first ??= e;
        }
      }
      if (first) throw first;
      throw invalidValue(path, `Invalid ${typeof value === 'string' ? 'value' : 'object'}: ${path}`);
    }
    switch (s.type) {
      case 'object': {
        if (typeof value === 'string') {
          if (value === '') throw emptyNotAllowed(path);
          throw invalidValue(path, `Invalid object`);
        }
        // `metadata[0]=x` decodes as an array; for an object parameter those indices are plain keys.
        const entries: FormObject = Array.isArray(value)
          ? Object.fromEntries(value.map((item, i) => [String(i), item]))
          : value;
        if (name === 'MetadataParam') checkMetadata(entries, path);
        for (const [key, v] of Object.entries(entries)) {
          const property = s.properties?.[key];
          if (property) check(property, v, child(path, key));
          else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
            check(s.additionalProperties, v, child(path, key));
          } else throw unknownParam(child(path, key));
        }
        for (const key of s.required ?? []) {
          if (entries[key] === undefined) throw missingParam(child(path, key));
        }
        return;
      }
      case 'array': {
        if (typeof value === 'string') {
          if (value === '') throw emptyNotAllowed(path);
          throw invalidValue(path, `Invalid array`);
        }
        const items = Array.isArray(value) ? value : Object.values(value);
        if (!Array.isArray(value) && Object.keys(value).some((k) => !/^\d+$/.test(k))) {
          throw invalidValue(path, `Invalid array`);
        }
        items.forEach((item, i) => {
          if (s.items) check(s.items, item, `${path}[${i}]`);
        });
        return;
      }
      case 'string':
      case 'number':
      case 'boolean': {
        if (typeof value !== 'string')
          throw invalidValue(path, `Invalid ${s.type === 'string' ? 'string' : s.type}: ${path}`);
        if (value === '' && !s.enum?.includes('')) {
          if (s.type === 'string' && !s.enum) return; // a free string may be set to ''
          throw emptyNotAllowed(path);
        }
        if (s.type === 'number' && !/^-?(\d+(\.\d*)?|\.\d+)$/.test(value)) {
          throw invalidParam(path, `Invalid integer: ${value}`, 'parameter_invalid_integer');
        }
        if (s.type === 'boolean' && value !== 'true' && value !== 'false') {
          throw invalidValue(path, `Invalid boolean: ${value}`);
        }
        if (s.enum && !s.enum.map(String).includes(value)) {
          throw invalidValue(path, `Invalid ${path}: must be one of ${oneOfList(s.enum)}`);
        }
        return;
      }
      default:
        return;
    }
  };

  return (operation, params) => {
    const schema = byOperation.get(operation);
    // An operation the SDK does not declare has nothing to hold it to; the route table test keeps this empty.
    if (!schema) return;
    // `expand[]` is global: Stripe takes it on every operation, even where the SDK's params type omits it.
    const { expand, ...rest } = params;
    if (expand !== undefined && !resolve(schema).properties?.expand) {
      check({ type: 'array', items: { type: 'string' } }, expand, 'expand');
      check(schema, rest, '');
    } else check(schema, params, '');
  };
}
