import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchJsonError, fetchJson, NETWORK_ERROR_MESSAGE } from './fetch-json';

let server: Server;
let base = '';
const seen: { method?: string; type?: string; body: string }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      seen.push({ method: request.method, type: request.headers['content-type'], body });
      const reply = (status: number, text: string) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(text);
      };
      if (request.url === '/ok') return reply(200, '{"url":"https://example.test/next"}');
      if (request.url === '/empty') return response.writeHead(204).end();
      if (request.url === '/refused')
        return reply(409, '{"error":{"code":"CONFLICT","message":"Already yours."}}');
      if (request.url === '/seat')
        return reply(
          409,
          '{"error":{"code":"CONFLICT","message":"Add a seat.","details":{"code":"SEAT_REQUIRED","addSeatUrl":"/billing"}}}',
        );
      if (request.url === '/html')
        return response.writeHead(502, { 'content-type': 'text/html' }).end('<h1>');
      reply(404, '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('fetchJson', () => {
  it('posts JSON as application/json and returns the answer', async () => {
    expect(await fetchJson(`${base}/ok`, { method: 'POST', body: { appId: 'app_crm' } })).toEqual({
      url: 'https://example.test/next',
    });
    expect(seen.at(-1)).toEqual({ method: 'POST', type: 'application/json', body: '{"appId":"app_crm"}' });
  });

  it('sends no body and no content type without one, and answers 204 with undefined', async () => {
    expect(await fetchJson(`${base}/empty`, { method: 'DELETE' })).toBeUndefined();
    expect(seen.at(-1)).toEqual({ method: 'DELETE', type: undefined, body: '' });
  });

  it("throws the route's own message, else the fallback, else the status", async () => {
    await expect(fetchJson(`${base}/refused`, { method: 'POST', body: {} })).rejects.toThrow(
      'Already yours.',
    );
    await expect(fetchJson(`${base}/html`, { fallback: 'Could not open it.' })).rejects.toThrow(
      'Could not open it.',
    );
    await expect(fetchJson(`${base}/missing`)).rejects.toThrow('Something went wrong (HTTP 404).');
  });

  it("carries the route's status and error code, for callers that act on them", async () => {
    const refused = await fetchJson(`${base}/refused`, { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(FetchJsonError);
    expect(refused).toMatchObject({
      message: 'Already yours.',
      status: 409,
      code: 'CONFLICT',
      details: null,
    });
    expect(await fetchJson(`${base}/html`).catch((e: unknown) => e)).toMatchObject({
      status: 502,
      code: null,
    });
    // And its details, when it gave any (the invite form links "Add a seat" from SEAT_REQUIRED's).
    expect(
      await fetchJson(`${base}/seat`, { method: 'POST', body: {} }).catch((e: unknown) => e),
    ).toMatchObject({
      status: 409,
      details: { code: 'SEAT_REQUIRED', addSeatUrl: '/billing' },
    });
  });

  it('says the server could not be reached when the network fails', async () => {
    await expect(fetchJson('http://127.0.0.1:1/nothing')).rejects.toThrow(NETWORK_ERROR_MESSAGE);
  });
});
