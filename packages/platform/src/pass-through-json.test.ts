import { describe, expect, it } from 'vitest';
import { AppError } from './app-error';
import {
  assertPassThroughJson,
  jsonNestingDepth,
  MAX_JSON_DEPTH,
  MAX_JSON_STRING_LENGTH,
} from './pass-through-json';

describe('jsonNestingDepth', () => {
  it.each([
    ['', 0],
    ['42', 0],
    ['{}', 1],
    ['{"a":[1,{"b":[]}]}', 4],
    ['{"a":"[[[[{{{{"}', 1],
    ['{"a":"\\"[[["}', 1],
    ['{"a":"\\\\"}[[', 2],
    [`${'['.repeat(10_000)}${']'.repeat(10_000)}`, 10_000],
    [`{"a":${'{"a":'.repeat(50)}1${'}'.repeat(51)}`, 51],
  ])('%j → %i', (text, depth) => {
    expect(jsonNestingDepth(text)).toBe(depth);
  });
});

describe('assertPassThroughJson', () => {
  const post = (body: string) => new Request('http://localhost/x', { method: 'POST', body });

  it('refuses a body nested deeper than the limit with a 400 and leaves the body readable', async () => {
    const deep = post(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`);
    const error = await assertPassThroughJson(deep).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(400);

    const fine = post('{"email":"a@b.test","password":"[x]"}');
    await assertPassThroughJson(fine);
    expect(await fine.json()).toEqual({ email: 'a@b.test', password: '[x]' });
  });

  it.each([
    ['NUL in a value', '{"email":"a\\u0000@b.test"}', 'Control characters'],
    ['a control character in a key', '{"e\\u001bmail":"a@b.test"}', 'Control characters'],
    ['a control character deep in an array', '{"a":[["\\u007f"]]}', 'Control characters'],
    ['an over-long value', JSON.stringify({ email: 'x'.repeat(MAX_JSON_STRING_LENGTH + 1) }), 'too long'],
  ])('refuses %s with a 400 that says why', async (_label, body, message) => {
    const error = await assertPassThroughJson(post(body)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(400);
    expect((error as AppError).message).toContain(message);
  });

  it('leaves a body that is not JSON to the library', async () => {
    await assertPassThroughJson(post('{"truncated":'));
    await assertPassThroughJson(new Request('http://localhost/x', { method: 'POST' }));
  });
});
