import sharp from 'sharp';
import { getDocumentProxy, renderPageAsImage } from 'unpdf';
import type { TSniffedType } from '../previews/sniff-file-type';
import { THUMBNAIL_SIZE } from './thumbnail-types';

/** A decoded image larger than this (pixels) is refused: a few KB of PNG can claim gigapixels (a "bomb"). */
const MAX_INPUT_PIXELS = 50_000_000;

/** What sharp calls each sniffed image type; its own reading of the header must agree. */
const SHARP_FORMATS: Partial<Record<TSniffedType, string>> = {
  png: 'png',
  jpeg: 'jpeg',
  gif: 'gif',
  webp: 'webp',
};

/** Thrown for a file that is not what it claims or cannot be drawn: another attempt would read the same bytes. */
export class UnrenderableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnrenderableError';
  }
}

/**
 * A WebP of at most THUMBNAIL_SIZE px on its longer side: the (first frame of the) image, turned upright by its
 * EXIF orientation, or the first page of a PDF on white. Runs in the thumbnail child process (render-in-child.ts),
 * which holds the time and memory limits; sharp never sees SVG or any type but the one sniffed (failOn 'error',
 * its own format check), and PDF.js runs without eval, as for text extraction.
 */
export async function renderThumbnail(
  source: Buffer,
  kind: TSniffedType,
): Promise<{ webp: Buffer; width: number; height: number }> {
  const raster = kind === 'pdf' ? await renderFirstPage(source) : source;
  if (kind !== 'pdf') {
    const format = await sharp(source, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .metadata()
      .then((m) => m.format)
      .catch((error: unknown) => {
        throw new UnrenderableError('the image could not be read', { cause: error });
      });
    if (format !== SHARP_FORMATS[kind]) throw new UnrenderableError('the image is not what its header says');
  }
  try {
    const { data, info } = await sharp(raster, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      .flatten(kind === 'pdf' ? { background: '#ffffff' } : false)
      .webp({ quality: 72 })
      .toBuffer({ resolveWithObject: true });
    return { webp: data, width: info.width, height: info.height };
  } catch (error) {
    throw new UnrenderableError('the image could not be drawn', { cause: error });
  }
}

async function renderFirstPage(source: Buffer): Promise<Buffer> {
  polyfillTransferToFixedLength();
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(new Uint8Array(source), {
      verbosity: 0,
      isEvalSupported: false,
    });
  } catch (error) {
    throw new UnrenderableError('the PDF could not be opened', { cause: error });
  }
  try {
    const page = await pdf.getPage(1);
    const { width, height } = page.getViewport({ scale: 1 });
    if (!(width > 0 && height > 0)) throw new UnrenderableError('the PDF’s first page has no size');
    const scale = THUMBNAIL_SIZE / Math.max(width, height);
    const png = await renderPageAsImage(pdf, 1, { canvasImport: () => import('@napi-rs/canvas'), scale });
    return Buffer.from(png);
  } catch (error) {
    if (error instanceof UnrenderableError) throw error;
    throw new UnrenderableError('the PDF’s first page could not be drawn', { cause: error });
  } finally {
    await pdf.destroy();
  }
}

/**
 * PDF.js (through unpdf) builds embedded fonts with ArrayBuffer.prototype.transferToFixedLength, which Node 20
 * lacks: without it every glyph fails and the page renders blank. Same result (a copy of the first `length`
 * bytes); set only in the renderer's child process.
 */
function polyfillTransferToFixedLength() {
  const proto = ArrayBuffer.prototype as ArrayBuffer & { transferToFixedLength?: unknown };
  if (typeof proto.transferToFixedLength === 'function') return;
  Object.defineProperty(ArrayBuffer.prototype, 'transferToFixedLength', {
    configurable: true,
    writable: true,
    value(this: ArrayBuffer, length: number = this.byteLength) {
      const copy = new ArrayBuffer(length);
      new Uint8Array(copy).set(new Uint8Array(this, 0, Math.min(length, this.byteLength)));
      return copy;
    },
  });
}
