/**
 * The subset of JSON Schema (draft 2020-12) the SDK-derived schemas use. `x-open` marks an enum the SDK joins
 * with `OtherString` (an "open" enum): the emulator still holds itself to the listed values. `discriminator`
 * (OpenAPI's keyword) names the property that picks a branch of a large union such as `Stripe.Event`.
 */
export interface JsonSchema {
  $ref?: string;
  type?: 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';
  enum?: Array<string | number | boolean>;
  'x-open'?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  discriminator?: { propertyName: string; mapping: Record<string, string> };
}

/** Schemas for every named SDK type reached, by `$defs` name, plus the entry points. */
export interface SchemaBundle {
  sdkVersion: string;
  $defs: Record<string, JsonSchema>;
}

export function refName(schema: JsonSchema): string | null {
  return schema.$ref?.startsWith('#/$defs/') ? schema.$ref.slice('#/$defs/'.length) : null;
}
