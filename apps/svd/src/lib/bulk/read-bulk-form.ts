import { AppError } from '@omg/platform';
import { ZBulkIdsSchema } from './bulk.types';

/** 1000 UUIDs, form-encoded, are under 50 KB; anything far larger is refused before it is read. */
const MAX_FORM_BYTES = 512 * 1024;

/**
 * The ids of a bulk form post (`ids=…&ids=…`, as the vault page's hidden download form sends them, so the
 * browser saves the streamed ZIP itself instead of holding it in page memory). Validated like a JSON body.
 */
export async function readBulkForm(request: Request): Promise<string[]> {
  const length = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(length) && length > MAX_FORM_BYTES) {
    throw new AppError('PAYLOAD_TOO_LARGE', 'Select at most 1000 documents at a time.');
  }
  const text = await request.text();
  if (text.length > MAX_FORM_BYTES)
    throw new AppError('PAYLOAD_TOO_LARGE', 'Select at most 1000 documents at a time.');
  return ZBulkIdsSchema.parse(new URLSearchParams(text).getAll('ids'));
}
