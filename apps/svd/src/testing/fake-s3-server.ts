import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readAll } from './storage';

/**
 * Just enough of the S3 REST API (path-style; object PUT/GET/HEAD/DELETE and multipart uploads) for the storage
 * suite to drive createS3BlobStore through the real SDK. It checks no signatures and is no stand-in for a real
 * bucket's semantics, only for catching mistakes in how the store uses the SDK.
 */
export async function startFakeS3(): Promise<{
  endpoint: string;
  /** Object keys and unfinished multipart uploads in `bucket`: what a failed upload must not leave behind. */
  list(bucket: string): string[];
  close(): Promise<void>;
}> {
  const objects = new Map<string, Buffer>();
  const uploads = new Map<string, { path: string; parts: Map<number, Buffer> }>();

  const send = (
    response: ServerResponse,
    status: number,
    body = '',
    headers: Record<string, string> = {},
  ) => {
    response.writeHead(status, { 'content-type': 'application/xml', ...headers }).end(body);
  };
  const notFound = (response: ServerResponse, method: string) =>
    method === 'HEAD'
      ? send(response, 404)
      : send(response, 404, '<Error><Code>NoSuchKey</Code><Message>No such key</Message></Error>');

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const path = decodeURIComponent(url.pathname);
    const uploadId = url.searchParams.get('uploadId');
    const body = await readAll(request);

    if (request.method === 'POST' && url.searchParams.has('uploads')) {
      const id = randomUUID();
      uploads.set(id, { path, parts: new Map() });
      return send(
        response,
        200,
        `<InitiateMultipartUploadResult><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`,
      );
    }
    if (uploadId) {
      const upload = uploads.get(uploadId);
      if (!upload) return send(response, 404, '<Error><Code>NoSuchUpload</Code></Error>');
      if (request.method === 'PUT') {
        const partNumber = Number(url.searchParams.get('partNumber'));
        upload.parts.set(partNumber, body);
        return send(response, 200, '', { etag: `"part-${partNumber}"` });
      }
      if (request.method === 'POST') {
        const listed = [...body.toString().matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((match) =>
          Number(match[1]),
        );
        objects.set(
          path,
          Buffer.concat(listed.map((partNumber) => upload.parts.get(partNumber) ?? Buffer.alloc(0))),
        );
        uploads.delete(uploadId);
        return send(
          response,
          200,
          '<CompleteMultipartUploadResult><ETag>"done"</ETag></CompleteMultipartUploadResult>',
        );
      }
      uploads.delete(uploadId);
      return send(response, 204);
    }
    switch (request.method) {
      case 'PUT':
        objects.set(path, body);
        return send(response, 200, '', { etag: '"object"' });
      case 'GET':
      case 'HEAD': {
        const object = objects.get(path);
        if (!object) return notFound(response, request.method);
        response.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': object.length,
        });
        response.end(request.method === 'GET' ? object : undefined);
        return;
      }
      case 'DELETE':
        objects.delete(path);
        return send(response, 204);
      default:
        return send(response, 405);
    }
  }

  const server = createServer((request, response) => {
    // A client that gives up mid-upload (size limit, abort) resets the connection; that is the test, not a fault.
    request.on('error', () => {});
    response.on('error', () => {});
    handle(request, response).catch((error: unknown) => {
      if (!response.destroyed) send(response, 500, String(error));
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    list: (bucket) => [
      ...[...objects.keys()].filter((key) => key.startsWith(`/${bucket}/`)),
      ...[...uploads.values()]
        .filter((upload) => upload.path.startsWith(`/${bucket}/`))
        .map((u) => `upload:${u.path}`),
    ],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
