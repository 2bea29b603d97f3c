import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { assertStorageKey, BlobNotFoundError, type TBlobStore } from './blob-store';
import { rethrowAfterCleanup } from './rethrow-after-cleanup';

// Never run against a real bucket: there is no S3 server where the tests run. The storage suite drives it through
// the real SDK against a minimal fake of the S3 API (src/testing/fake-s3-server.ts), which catches misuse of the
// SDK but not differences in how real S3 or compatible servers behave (errors, checksums, part limits).

/** S3's minimum part size is 5 MiB; 8 MiB keeps memory at one part per upload and allows objects up to ~80 GB. */
const PART_SIZE = 8 * 1024 * 1024;

export type TS3BlobStoreOptions = {
  bucket: string;
  region?: string;
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle?: boolean;
  prefix?: string;
};

function isMissing(error: unknown): boolean {
  const candidate = error as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return (
    candidate?.name === 'NoSuchKey' ||
    candidate?.name === 'NotFound' ||
    candidate?.$metadata?.httpStatusCode === 404
  );
}

/** Cuts a byte stream into PART_SIZE parts, then a shorter final part if anything is left over. */
async function* parts(body: AsyncIterable<unknown>): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    pending.push(bytes);
    length += bytes.length;
    while (length >= PART_SIZE) {
      const joined = Buffer.concat(pending, length);
      yield joined.subarray(0, PART_SIZE);
      // Copied so the finished part's memory can be freed while the remainder waits for more input.
      const rest = Buffer.from(joined.subarray(PART_SIZE));
      pending = [rest];
      length = rest.length;
    }
  }
  if (length > 0) yield Buffer.concat(pending, length);
}

/**
 * An S3-compatible bucket. Uploads are streamed as a multipart upload (aborted on any error, so no object and no
 * orphaned parts remain); a body smaller than one part is sent with a single PutObject, which is also how an
 * empty body is stored, since a multipart upload cannot have zero parts.
 */
export function createS3BlobStore(options: TS3BlobStoreOptions): TBlobStore {
  const client = new S3Client({
    region: options.region ?? 'us-east-1',
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle,
    credentials:
      options.accessKeyId && options.secretAccessKey
        ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
        : undefined,
    // Integrity is end to end (every segment carries a GCM tag checked on download), and the SDK's default
    // CRC trailers are rejected by several S3-compatible servers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = options.bucket;
  const prefix = options.prefix ? options.prefix.replace(/\/*$/, '/') : '';
  const keyFor = (key: string) => {
    assertStorageKey(key);
    return `${prefix}${key}`;
  };

  return {
    async put(key, body) {
      const Key = keyFor(key);
      const source = parts(body)[Symbol.asyncIterator]();
      const first = await source.next();
      const firstPart = first.done ? Buffer.alloc(0) : first.value;
      if (firstPart.length < PART_SIZE) {
        await client.send(
          new PutObjectCommand({ Bucket, Key, Body: firstPart, ContentLength: firstPart.length }),
        );
        return;
      }

      let UploadId: string | undefined;
      try {
        ({ UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket, Key })));
        if (!UploadId) throw new Error(`S3 did not start a multipart upload for ${Key}`);
        const uploaded: CompletedPart[] = [];
        for (let part: IteratorResult<Buffer> = first; !part.done; part = await source.next()) {
          const PartNumber = uploaded.length + 1;
          const { ETag } = await client.send(
            new UploadPartCommand({
              Bucket,
              Key,
              UploadId,
              PartNumber,
              Body: part.value,
              ContentLength: part.value.length,
            }),
          );
          uploaded.push({ ETag, PartNumber });
        }
        await client.send(
          new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: uploaded } }),
        );
      } catch (error) {
        // Stops reading the body, then discards the parts already sent (S3 would otherwise keep and bill them).
        await source.return(undefined);
        if (UploadId) {
          await rethrowAfterCleanup(
            error,
            () => client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId })),
            `aborting the multipart upload of ${Key}`,
          );
        }
        throw error;
      }
    },

    async get(key) {
      try {
        const { Body } = await client.send(new GetObjectCommand({ Bucket, Key: keyFor(key) }));
        if (!(Body instanceof Readable)) throw new Error(`S3 returned no readable body for ${key}`);
        return Body;
      } catch (error) {
        if (isMissing(error)) throw new BlobNotFoundError(key);
        throw error;
      }
    },

    async delete(key) {
      try {
        await client.send(new DeleteObjectCommand({ Bucket, Key: keyFor(key) }));
      } catch (error) {
        // S3 itself answers 204 for a missing key; some compatible servers answer 404.
        if (!isMissing(error)) throw error;
      }
    },

    async exists(key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: keyFor(key) }));
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },
  };
}
