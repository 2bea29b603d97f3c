import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import type { JsonSchema } from './json-schema';

/** One API operation of the SDK: the resource method, its HTTP method and path, and its types as schemas. */
export interface SdkOperation {
  resource: string;
  method: string;
  httpMethod: 'GET' | 'POST' | 'DELETE';
  /** `/v1/subscriptions/{}`: every path parameter is `{}`. */
  path: string;
  params: JsonSchema;
  response: JsonSchema;
}

export interface SdkSchemas {
  sdkVersion: string;
  $defs: Record<string, JsonSchema>;
  operations: SdkOperation[];
  /** Each requested event type's interface (`Stripe.CustomerSubscriptionCreatedEvent`, …), by `type`. */
  events: Record<string, JsonSchema>;
}

export interface GenerateOptions {
  /** Which operations to convert, as `POST /v1/subscriptions/{}` (all by default; that takes several seconds). */
  operations?: readonly string[];
  /** Convert response types too (tests); the emulator only needs the params. */
  responses?: boolean;
  eventTypes?: readonly string[];
}

/** `POST /v1/subscriptions/{}`: the key an emulator route and an SDK operation share. */
export function operationKey(httpMethod: string, path: string): string {
  return `${httpMethod} ${path}`;
}

export function stripeSdkDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('stripe')), '..');
}

interface RawOperation {
  file: string;
  className: string;
  method: string;
  httpMethod: 'GET' | 'POST' | 'DELETE';
  path: string;
}

/**
 * The SDK's generated resource classes call `this._makeRequest('POST', `/v1/x/${encodeURIComponent(id)}`, …)`
 * in each method; that call is the one place the method's HTTP method and path are written down.
 */
function scanOperations(resourcesDir: string): RawOperation[] {
  const out: RawOperation[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.js')) {
        const source = readFileSync(full, 'utf8');
        const className = /class (\w+) extends/.exec(source)?.[1];
        if (!className) continue;
        const re =
          /\n {4}(\w+)\([^)]*\) \{\s*return this\._makeRequest\('(GET|POST|DELETE)', (?:'([^']*)'|`([^`]*)`)/g;
        for (let m = re.exec(source); m; m = re.exec(source)) {
          const path = (m[3] ?? m[4] ?? '').replace(/\$\{[^}]*\}/g, '{}');
          out.push({
            file: full.replace(/\.js$/, '.d.ts'),
            className,
            method: m[1] ?? '',
            httpMethod: m[2] as RawOperation['httpMethod'],
            path,
          });
        }
      }
    }
  };
  walk(resourcesDir);
  return out;
}

/**
 * Turns the SDK's TypeScript declarations into JSON Schemas: a property without `?` is required, `| null` is
 * nullable, `string | X` (an expandable field) is either, string-literal unions are enums, `Emptyable<T>`
 * admits `''`, index signatures (`Metadata`, `MetadataParam`) become `additionalProperties`. Named interfaces
 * go to `$defs` (so recursive types terminate); anonymous object types are inlined.
 */
class Converter {
  readonly defs: Record<string, JsonSchema> = {};
  private readonly naming = new Map<ts.Symbol, string>();
  private readonly used = new Set<string>();

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly cjsDir: string,
  ) {}

  private nameOf(symbol: ts.Symbol): string {
    const known = this.naming.get(symbol);
    if (known) return known;
    const decl = symbol.declarations?.[0];
    const file = decl ? relative(this.cjsDir, decl.getSourceFile().fileName).replace(/\.d\.ts$/, '') : '';
    // `resources/Checkout/Sessions` + `Session.CustomerDetails` → `Checkout.Session.CustomerDetails`;
    // top-level resources and shared.d.ts need no prefix.
    const parts = file.split('/');
    const namespace = parts[0] === 'resources' && parts.length > 2 ? `${parts.slice(1, -1).join('.')}.` : '';
    const qualified = this.checker.getFullyQualifiedName(symbol).replace(/^"[^"]*"\./, '');
    let name = `${namespace}${qualified}`;
    while (this.used.has(name)) name = `${name}_`;
    this.used.add(name);
    this.naming.set(symbol, name);
    return name;
  }

  private isNamedObject(type: ts.Type): ts.Symbol | null {
    const symbol = type.aliasSymbol && !type.aliasTypeArguments ? type.aliasSymbol : type.getSymbol();
    if (!symbol || type.aliasTypeArguments) return null;
    if (symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) {
      return (type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference &&
        (type as ts.TypeReference).typeArguments?.length
        ? null
        : symbol;
    }
    return null;
  }

  schemaOf(type: ts.Type): JsonSchema {
    const f = type.flags;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
    if (f & ts.TypeFlags.Null) return { type: 'null' };
    if (f & ts.TypeFlags.StringLiteral)
      return { type: 'string', enum: [(type as ts.StringLiteralType).value] };
    if (f & ts.TypeFlags.NumberLiteral)
      return { type: 'number', enum: [(type as ts.NumberLiteralType).value] };
    if (f & ts.TypeFlags.BooleanLiteral) {
      return { type: 'boolean', enum: [this.checker.typeToString(type) === 'true'] };
    }
    if (f & ts.TypeFlags.String) return { type: 'string' };
    if (f & ts.TypeFlags.Number) return { type: 'number' };
    if (f & ts.TypeFlags.Boolean) return { type: 'boolean' };
    if (type.isUnion()) return this.union(type.types);
    if (type.isIntersection()) {
      // `OtherString` is `string & Record<never, never>`; `Response<T>` adds `lastResponse`, which is the SDK's.
      if (type.types.some((t) => t.flags & ts.TypeFlags.String)) return { type: 'string' };
      // `Decimal` (`DecimalImpl & { brand }`) is what the SDK makes of a decimal string; the wire has the string.
      if (type.types.some((t) => t.getSymbol()?.getName() === 'DecimalImpl')) return { type: 'string' };
      const parts = type.types.filter((t) => !this.checker.getPropertyOfType(t, 'lastResponse'));
      if (parts.length === 1 && parts[0]) return this.schemaOf(parts[0]);
      return this.objectSchema(type);
    }
    if (this.checker.isArrayType(type)) {
      const [item] = this.checker.getTypeArguments(type as ts.TypeReference);
      return { type: 'array', items: item ? this.schemaOf(item) : {} };
    }
    if (type.getSymbol()?.getName() === 'DecimalImpl') return { type: 'string' };
    if (f & ts.TypeFlags.Object) {
      const named = this.isNamedObject(type);
      if (!named) return this.objectSchema(type);
      const name = this.nameOf(named);
      if (!(name in this.defs)) {
        this.defs[name] = {}; // placeholder first: recursive references end here
        this.defs[name] = this.objectSchema(type);
      }
      return { $ref: `#/$defs/${name}` };
    }
    return {};
  }

  private union(types: ts.Type[]): JsonSchema {
    const members = types.filter((t) => !(t.flags & ts.TypeFlags.Undefined));
    const literals: string[] = [];
    let open = false;
    let nullable = false;
    let hasTrue = false;
    let hasFalse = false;
    const rest: ts.Type[] = [];
    for (const t of members) {
      if (t.flags & ts.TypeFlags.StringLiteral) literals.push((t as ts.StringLiteralType).value);
      else if (t.flags & ts.TypeFlags.Null) nullable = true;
      else if (t.flags & ts.TypeFlags.BooleanLiteral) {
        if (this.checker.typeToString(t) === 'true') hasTrue = true;
        else hasFalse = true;
      } else if (t.isIntersection() && t.types.some((p) => p.flags & ts.TypeFlags.String)) open = true;
      else rest.push(t);
    }
    const branches: JsonSchema[] = [];
    const plainString = rest.some((t) => t.flags & ts.TypeFlags.String);
    if (literals.length && !plainString) {
      branches.push({ type: 'string', enum: literals, ...(open ? { 'x-open': true } : {}) });
    } else if (literals.length && plainString) {
      // `'' | string` and similar: a literal next to plain string adds nothing.
    } else if (open) branches.push({ type: 'string' });
    if (hasTrue || hasFalse)
      branches.push({ type: 'boolean', ...(hasTrue && hasFalse ? {} : { enum: [hasTrue] }) });
    const objects = rest.map((t) => this.schemaOf(t));
    const discriminated = this.discriminate(rest, objects);
    if (discriminated) branches.push(discriminated);
    else branches.push(...objects);
    if (nullable) branches.push({ type: 'null' });
    if (branches.length === 1 && branches[0]) return branches[0];
    return { anyOf: branches };
  }

  /** A big union of objects that all carry a distinct `type` literal (`Stripe.Event`) picks its branch by it. */
  private discriminate(types: ts.Type[], schemas: JsonSchema[]): JsonSchema | null {
    if (types.length < 8) return null;
    const mapping: Record<string, string> = {};
    for (const [i, t] of types.entries()) {
      const prop = this.checker.getPropertyOfType(t, 'type');
      const decl = prop?.valueDeclaration ?? prop?.declarations?.[0];
      if (!prop || !decl) return null;
      const literal = this.checker.getTypeOfSymbolAtLocation(prop, decl);
      const ref = schemas[i]?.$ref;
      if (!(literal.flags & ts.TypeFlags.StringLiteral) || !ref) return null;
      mapping[(literal as ts.StringLiteralType).value] = ref;
    }
    return { oneOf: schemas, discriminator: { propertyName: 'type', mapping } };
  }

  private objectSchema(type: ts.Type): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const prop of this.checker.getPropertiesOfType(type)) {
      const name = prop.getName();
      if (name === 'lastResponse') continue;
      const decl = prop.valueDeclaration ?? prop.declarations?.[0];
      if (!decl) continue;
      const propType = this.checker.getTypeOfSymbolAtLocation(prop, decl);
      if (propType.getCallSignatures().length) continue;
      properties[name] = this.schemaOf(propType);
      if (!(prop.flags & ts.SymbolFlags.Optional)) required.push(name);
    }
    const index = this.checker.getIndexInfosOfType(type)[0];
    const schema: JsonSchema = { type: 'object', properties, additionalProperties: false };
    if (required.length) schema.required = required;
    if (index) schema.additionalProperties = this.schemaOf(index.type);
    return schema;
  }
}

function firstTypeArgument(node: ts.TypeNode | undefined): ts.TypeNode | undefined {
  return node && ts.isTypeReferenceNode(node) ? node.typeArguments?.[0] : undefined;
}

/**
 * Reads the installed `stripe` SDK: every operation its resource classes declare (HTTP method, path, the
 * params type, the response type) and the event union, as JSON Schemas. Takes a few seconds (a TypeScript
 * program over the SDK's declarations); callers cache the result (see `loadSdkSchemas`).
 */
export function generateSdkSchemas(options: GenerateOptions = {}): SdkSchemas {
  const root = stripeSdkDir();
  const cjsDir = join(root, 'cjs');
  const sdkVersion = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string })
    .version;
  const only = options.operations ? new Set(options.operations) : null;
  const raw = scanOperations(join(cjsDir, 'resources')).filter(
    (op) => !only || only.has(operationKey(op.httpMethod, op.path)),
  );
  const eventsPath = join(cjsDir, 'resources', 'Events.d.ts');
  const files = [...new Set([...raw.map((op) => op.file), eventsPath])];
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
  });
  const checker = program.getTypeChecker();
  const converter = new Converter(checker, cjsDir);
  const operations: SdkOperation[] = [];
  for (const op of raw) {
    const source = program.getSourceFile(op.file);
    if (!source) continue;
    const cls = source.statements.find(
      (s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === op.className,
    );
    const member = cls?.members.find(
      (m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && m.name.getText(source) === op.method,
    );
    if (!member) continue;
    const paramsNode = member.parameters.find((p) => p.name.getText(source) === 'params')?.type;
    const params = paramsNode ? converter.schemaOf(checker.getTypeFromTypeNode(paramsNode)) : {};
    const returnNode = member.type;
    let response: JsonSchema = {};
    if (options.responses && returnNode && ts.isTypeReferenceNode(returnNode)) {
      const wrapper = returnNode.typeName.getText(source);
      const item = firstTypeArgument(returnNode);
      if (wrapper === 'Promise') {
        const inner = firstTypeArgument(item) ?? item;
        if (inner) response = converter.schemaOf(checker.getTypeFromTypeNode(inner));
      } else if (item && (wrapper === 'ApiListPromise' || wrapper === 'ApiSearchResultPromise')) {
        const list = wrapper === 'ApiListPromise';
        const properties: Record<string, JsonSchema> = {
          object: { type: 'string', enum: [list ? 'list' : 'search_result'] },
          data: { type: 'array', items: converter.schemaOf(checker.getTypeFromTypeNode(item)) },
          has_more: { type: 'boolean' },
          url: { type: 'string' },
        };
        if (!list) {
          properties.next_page = { anyOf: [{ type: 'string' }, { type: 'null' }] };
          properties.total_count = { type: 'number' };
        }
        response = {
          type: 'object',
          properties,
          required: list
            ? ['object', 'data', 'has_more', 'url']
            : ['object', 'data', 'has_more', 'url', 'next_page'],
          additionalProperties: false,
        };
      }
    }
    operations.push({
      resource: op.className.replace(/Resource$/, ''),
      method: op.method,
      httpMethod: op.httpMethod,
      path: op.path,
      params,
      response,
    });
  }
  const events: Record<string, JsonSchema> = {};
  const wanted = new Set(options.eventTypes ?? []);
  for (const statement of program.getSourceFile(eventsPath)?.statements ?? []) {
    if (!wanted.size) break;
    if (!ts.isInterfaceDeclaration(statement) || !statement.name.text.endsWith('Event')) continue;
    const typeMember = statement.members.find(
      (m): m is ts.PropertySignature => ts.isPropertySignature(m) && m.name.getText() === 'type',
    );
    const literal =
      typeMember?.type && ts.isLiteralTypeNode(typeMember.type) && ts.isStringLiteral(typeMember.type.literal)
        ? typeMember.type.literal.text
        : null;
    if (literal && wanted.has(literal)) {
      events[literal] = converter.schemaOf(checker.getTypeAtLocation(statement.name));
    }
  }
  return { sdkVersion, $defs: converter.defs, operations, events };
}
