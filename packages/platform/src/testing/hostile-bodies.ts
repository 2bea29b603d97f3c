import { request as httpRequest } from 'node:http';

/**
 * Request bodies no client of ours sends, for walking every route that takes a body (issue 9 §6): each route
 * must answer them with a 4xx (or a 2xx where the body is irrelevant), never a 500 and never a stack trace.
 * The generator puts wrong types, huge values, NUL and prototype keys into the route's own fields, so its schema
 * is exercised and not only the JSON parser.
 */
export interface THostileBody {
  label: string;
  body: string | Uint8Array<ArrayBuffer> | null;
  contentType: string | null;
}

const JSON_TYPE = 'application/json';
const DEPTH = 10_000;
const HUGE = 2 * 1024 * 1024;

const json = (label: string, body: string | Uint8Array<ArrayBuffer> | null): THostileBody => ({
  label,
  body,
  contentType: JSON_TYPE,
});

/** Wrong values for one field: every JSON type but the right one, and the extremes of the right ones. */
const WRONG_VALUES: [string, unknown][] = [
  ['null', null],
  ['true', true],
  ['zero', 0],
  ['negative', -1],
  ['fraction', 0.5],
  ['huge number', 1e308],
  ['number as string', '42'],
  ['boolean as string', 'true'],
  ['empty string', ''],
  ['spaces', '   '],
  ['NUL', 'a\u0000b'],
  ['control characters', '\u0001\u001b[2J\u007f\u0085'],
  ['bidi override', 'invoice\u202efdp.exe'],
  ['lone surrogate', '\ud800'],
  ['huge string', 'x'.repeat(HUGE)],
  ['array', ['a', 'b']],
  ['empty array', []],
  ['object', { nested: 'value' }],
  ['empty object', {}],
];

/** `valid` is a body the route accepts: each wrong value replaces one of its fields, so the rest gets through. */
export function hostileBodies(valid: Record<string, unknown>): THostileBody[] {
  const fields = Object.keys(valid).length > 0 ? Object.keys(valid) : ['name'];
  const bodies: THostileBody[] = [
    json('empty body', ''),
    json('no body at all', null),
    json('whitespace', ' \n\t '),
    json('truncated object', '{"a":'),
    json('truncated string', '{"a":"unterminated'),
    json('lone brace', '{'),
    json('trailing comma', '{"a":1,}'),
    json('single quotes', "{'a':1}"),
    json('not JSON', 'hello'),
    json('NaN literal', '{"a":NaN}'),
    json('null', 'null'),
    json('true', 'true'),
    json('number', '42'),
    json('string', '"text"'),
    json('empty array', '[]'),
    json('array of an object', `[${JSON.stringify(Object.fromEntries(fields.map((f) => [f, 'x'])))}]`),
    json('empty object', '{}'),
    json('nested arrays, 10k deep', `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`),
    json('nested objects, 10k deep', `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`),
    json(
      'a field nested 10k deep',
      `{${fields.map((f) => `"${f}":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`).join(',')}}`,
    ),
    json('huge unknown field', JSON.stringify({ padding: 'x'.repeat(HUGE) })),
    json(
      'many keys',
      JSON.stringify(Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i]))),
    ),
    json(
      '__proto__ key',
      `{"__proto__":{"isAdmin":true,"status":500},${fields.map((f) => `"${f}":"x"`).join(',')}}`,
    ),
    json('constructor.prototype key', '{"constructor":{"prototype":{"polluted":true}}}'),
    json('duplicate keys', `{${fields.map((f) => `"${f}":"a","${f}":{"b":1}`).join(',')}}`),
    json('byte-order mark', `\ufeff${JSON.stringify(Object.fromEntries(fields.map((f) => [f, 'x'])))}`),
    json(
      'invalid UTF-8 bytes',
      new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0x80, 0x22, 0x7d]),
    ),
    json('invalid UTF-8 in a field', utf8WithInvalidBytes(fields)),
    json('NUL byte outside strings', '{"a":1}\u0000'),
    json('escaped NUL in every field', JSON.stringify(Object.fromEntries(fields.map((f) => [f, '\u0000'])))),
    {
      label: 'JSON sent as text/plain',
      body: JSON.stringify({ [fields[0] ?? 'a']: 'x' }),
      contentType: 'text/plain',
    },
    { label: 'JSON sent as a form', body: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' },
    { label: 'JSON without a content type', body: '{}', contentType: null },
    { label: 'JSON with a bogus charset', body: '{}', contentType: 'application/json; charset=utf-7' },
  ];
  for (const field of fields) {
    for (const [label, value] of WRONG_VALUES) {
      bodies.push(json(`${field}: ${label}`, JSON.stringify({ ...valid, [field]: value })));
    }
  }
  return bodies;
}

function utf8WithInvalidBytes(fields: readonly string[]): Uint8Array<ArrayBuffer> {
  const head = new TextEncoder().encode(`{"${fields[0] ?? 'a'}":"`);
  const tail = new TextEncoder().encode('"}');
  return new Uint8Array([...head, 0xed, 0xa0, 0x80, 0xf8, 0x88, 0x80, 0x80, 0x80, ...tail]);
}

/** What an answer must never contain: a stack frame, a source path, or the driver's and ORM's own words. */
export const LEAK_PATTERN =
  /\bat \S+ \(|\bat (?:async )?\/|node_modules|\/work\/|\.tsx?:\d+|DrizzleQueryError|Failed query|syntax error at|SQLSTATE|violates .* constraint/;

/**
 * Sends one request on a connection of its own and reads the whole answer. Not fetch: a route may rightly answer
 * (415, 401, …) without reading a 2 MB body, after which the server drops that connection, and fetch would send
 * the next request down the dropped, pooled one and fail with ECONNRESET through no fault of the route.
 */
export function sendOnce(
  url: string,
  init: { method: string; headers: Record<string, string>; body: string | Uint8Array<ArrayBuffer> | null },
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const body =
      init.body === null ? null : typeof init.body === 'string' ? Buffer.from(init.body) : init.body;
    const headers = body ? { ...init.headers, 'content-length': String(body.byteLength) } : init.headers;
    const outgoing = httpRequest(url, { method: init.method, headers, agent: false }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () =>
        resolve({ status: incoming.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      incoming.on('error', reject);
    });
    // The answer may come before the body is sent in full; the write then fails, which is not the route's fault.
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    outgoing.end(body ?? undefined);
  });
}

/**
 * Query-string values no page of ours produces, already percent-encoded as they would arrive: NUL and other
 * controls, bidi overrides, bytes that are not UTF-8, broken escapes, and a 20,000-character value.
 */
export const HOSTILE_QUERY_VALUES: [string, string][] = [
  ['NUL', '%00'],
  ['NUL inside text', 'a%00b'],
  ['CR LF (header injection)', 'a%0D%0ASet-Cookie:%20x=1'],
  ['escape', '%1B%5B2J'],
  ['DEL', '%7F'],
  ['C1 control', '%C2%85'],
  ['right-to-left override', 'a%E2%80%AEb'],
  ['invalid UTF-8', '%FF%FE%C0%80'],
  ['lone surrogate as UTF-8', '%ED%A0%80'],
  ['bare percent', '%'],
  ['truncated escape', '%E0%A4%A'],
  ['not hex', '%zz'],
  ['plus and spaces', '+++'],
  ['very long', 'x'.repeat(20_000)],
  ['SQL', "'%20OR%201=1--"],
  ['script', '%3Cscript%3Ealert(1)%3C/script%3E'],
];
