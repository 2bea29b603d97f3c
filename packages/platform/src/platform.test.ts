import net from 'node:net';
import { createDatabase, isDatabaseReachable } from '@omg/db';
import { findFreePort } from '@omg/db/setup';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApiHandler } from './api-handler';
import { AppError, toErrorResponse } from './app-error';
import { EnvError, parseEnv } from './env';
import { healthResponse, livenessResponse } from './health';
import type { TLogger } from './logger';
import { requestIdFrom } from './request-id';

describe('parseEnv', () => {
  const schema = z.object({ DB_URL: z.url(), SECRET: z.string().min(32, 'must be at least 32 characters') });

  it('names every missing or malformed variable in one message', () => {
    let caught: unknown;
    try {
      parseEnv('Test app', schema, { DB_URL: 'not a url', OTHER: 'ignored' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvError);
    const message = (caught as Error).message;
    expect(message).toContain('Test app cannot start');
    expect(message).toMatch(/DB_URL is invalid/);
    expect(message).toMatch(/SECRET is missing/);
    expect(() => parseEnv('Test app', schema, { DB_URL: 'postgres://h/db', SECRET: 'short' })).toThrow(
      /SECRET is invalid: must be at least 32 characters/,
    );
  });

  it('returns the parsed values when all is well', () => {
    const secret = 'x'.repeat(32);
    expect(parseEnv('Test app', schema, { DB_URL: 'postgres://h/db', SECRET: secret })).toEqual({
      DB_URL: 'postgres://h/db',
      SECRET: secret,
    });
  });
});

describe('toErrorResponse', () => {
  it('maps AppError codes to their statuses with the safe message', () => {
    expect(toErrorResponse(new AppError('CONFLICT', 'Already subscribed.'))).toEqual({
      status: 409,
      body: { error: { code: 'CONFLICT', message: 'Already subscribed.' } },
    });
  });

  it('turns a database outage into 503 and anything else into a 500 that leaks nothing', () => {
    expect(
      toErrorResponse(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).status,
    ).toBe(503);
    const internal = toErrorResponse(new Error('password=hunter2 at line 3'));
    expect(internal.status).toBe(500);
    expect(JSON.stringify(internal.body)).not.toContain('hunter2');
  });
});

describe('healthResponse', () => {
  it('answers 503 when the database is unreachable and 200 when it answers', async () => {
    const deadPort = await findFreePort();
    const dead = createDatabase(`postgres://nobody:nothing@127.0.0.1:${deadPort}/none`, { max: 1 });
    const down = await healthResponse('test', () => isDatabaseReachable(dead.pool));
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ service: 'test', status: 'degraded', database: 'unreachable' });
    await dead.pool.end();

    const up = await healthResponse('test', async () => true);
    expect(up.status).toBe(200);
  });

  it('answers 503 within its timeout when the database host accepts the connection and then says nothing', async () => {
    // A black hole: the TCP connection opens, PostgreSQL's handshake never comes (a hung host, a half-open link).
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const hung = createDatabase(`postgres://nobody:nothing@127.0.0.1:${port}/none`, { max: 1 });
    try {
      const started = Date.now();
      const down = await healthResponse('test', () => isDatabaseReachable(hung.pool), 500);
      expect(down.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(1_500);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
      await hung.pool.end();
    }
  });

  it('liveness answers 200 without asking any dependency', async () => {
    const live = livenessResponse('test');
    expect(live.status).toBe(200);
    expect(live.headers.get('cache-control')).toBe('no-store');
    expect(await live.json()).toEqual({ service: 'test', status: 'ok' });
  });
});

describe('requestIdFrom', () => {
  it('keeps a well-formed upstream id and replaces a hostile one', () => {
    expect(requestIdFrom(new Headers({ 'x-request-id': 'abc12345-upstream' }))).toBe('abc12345-upstream');
    const minted = requestIdFrom(new Headers({ 'x-request-id': 'bad id <script>' }));
    expect(minted).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('apiHandler', () => {
  const silent = { child: () => silent, info: () => {}, error: () => {} } as unknown as TLogger;
  const handler = createApiHandler(silent);
  const context = { params: Promise.resolve({}) };

  it('stamps the request id even on responses with immutable headers (redirects)', async () => {
    const route = handler(async () => Response.redirect('http://localhost/next', 303));
    const response = await route(
      new Request('http://localhost/x', { headers: { 'x-request-id': 'req-12345678' } }),
      context,
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('x-request-id')).toBe('req-12345678');
  });

  it('maps a thrown AppError to its status and body', async () => {
    const route = handler(async () => {
      throw new AppError('NOT_FOUND', 'No such vault.');
    });
    const response = await route(new Request('http://localhost/x'), context);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No such vault.' } });
  });
});
