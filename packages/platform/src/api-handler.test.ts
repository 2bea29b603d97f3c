import { describe, expect, it } from 'vitest';
import { createApiHandler } from './api-handler';
import { AppError } from './app-error';
import type { TLogger } from './logger';

const silent = { child: () => silent, info: () => {}, error: () => {}, warn: () => {} } as unknown as TLogger;
const apiHandler = createApiHandler(silent);
const call = (handler: () => Promise<Response>) =>
  apiHandler(handler)(new Request('http://localhost:3000/api/x'), { params: Promise.resolve({}) });

describe('apiHandler caching', () => {
  it.each([
    ['a JSON answer', async () => Response.json({ mine: true })],
    ['a redirect (immutable headers)', async () => Response.redirect('http://localhost:3000/portal', 303)],
    ['an error', async (): Promise<Response> => Promise.reject(new AppError('NOT_FOUND', 'Nope.'))],
    ['an unexpected failure', async (): Promise<Response> => Promise.reject(new Error('boom'))],
  ])('marks %s no-store', async (_, handler) => {
    const response = await call(handler);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('keeps a caching rule the route chose itself', async () => {
    const response = await call(async () =>
      Response.json({}, { headers: { 'cache-control': 'private, no-store, max-age=0' } }),
    );
    expect(response.headers.get('cache-control')).toBe('private, no-store, max-age=0');
  });
});
