import path from 'node:path';
import { imageSize } from 'image-size';
import type { LeadImage } from '../domain/article.ts';
import { IMAGE_MEDIA_TYPES, storeImagePath } from '../domain/documents.ts';
import type { Problem } from '../domain/problem.ts';
import { displayPath } from '../store/read-store.ts';
import { openStoreImage } from '../store/store-images.ts';

/** MIN_IMAGE_WIDTH's default: the smallest side Microsoft Start recommends (partner-requirements.md §1). */
export const DEFAULT_MIN_IMAGE_WIDTH = 720;

/**
 * How much of an image file is read to measure it. Every format's dimensions sit in its first
 * few hundred bytes, except JPEG's, which follow the metadata segments (each at most 64 KiB);
 * a cap keeps a 40 MB photograph from being read whole at start-up, in every parse thread.
 */
export const IMAGE_HEAD_BYTES = 512 * 1024;

export interface MeasureContext {
  /** The store folder as configured (problems name images under it). */
  readonly contentDir: string;
  readonly baseUrl: string;
  /** MIN_IMAGE_WIDTH: a lead image narrower than this is reported. */
  readonly minImageWidth: number;
  readonly cwd: string;
}

export interface MeasuredImage {
  readonly image: LeadImage;
  /** Problems with the image that do not keep the article from being published. */
  readonly warnings: readonly Problem[];
}

/** image-size's names for the formats a store image may be, as media types. */
const MEASURED_TYPES: Readonly<Record<string, string>> = { ...IMAGE_MEDIA_TYPES, jpg: 'image/jpeg', avif: 'image/avif' };

/**
 * Completes a parsed lead image with what its file says, for an image in the store
 * (`${baseUrl}/images/...`): media type, width and height read from its header (image-size, on
 * at most IMAGE_HEAD_BYTES) and its size in bytes. The file's own dimensions win over declared
 * ones, which are only reported when they disagree; for an image elsewhere the declared ones are
 * all there is. A missing or unreadable file, a narrow image or a mismatch is a warning naming
 * the article (`subject`) and the image: the article is published all the same.
 */
export async function measureLeadImage(image: LeadImage, subject: string, context: MeasureContext): Promise<MeasuredImage> {
  const warnings: Problem[] = [];
  const warn = (message: string): void => void warnings.push({ subject, field: 'image', message });
  const storePath = storeImagePath(image.url, context.baseUrl);
  if (storePath === undefined) {
    checkWidth(image, image.url, context.minImageWidth, warn);
    return { image, warnings };
  }
  const shown = displayPath(path.join(context.contentDir, ...storePath.split('/')), context.cwd);
  const opening = await openStoreImage(context.contentDir, storePath);
  if (opening.kind !== 'file') {
    warn(`lead image ${shown} ${opening.message}; the article is published without the image's size`);
    checkWidth(image, shown, context.minImageWidth, warn);
    return { image, warnings };
  }
  const { file } = opening;
  let head: Buffer;
  try {
    head = await file.head(IMAGE_HEAD_BYTES);
  } finally {
    await file.close();
  }
  const measured = measure(head);
  if (measured === undefined) {
    warn(
      `lead image ${shown} cannot be read as an image (no complete image header in its first ${Math.min(file.size, IMAGE_HEAD_BYTES)} bytes): replace it with a valid JPEG, PNG, GIF or WebP file`,
    );
    // The declared size, if any, is all there is to go on.
    const declared = { ...(image.width === undefined ? {} : { width: image.width }), ...(image.height === undefined ? {} : { height: image.height }) };
    return { image: withFacts(image, { type: file.mediaType, ...declared, length: file.size }), warnings };
  }
  const type = MEASURED_TYPES[measured.type] ?? file.mediaType;
  if (type !== file.mediaType) {
    warn(`lead image ${shown} is ${type} but named like ${file.mediaType}: rename it with the extension of its real type, so that it is served as what it is`);
  }
  for (const [key, value] of [['width', measured.width], ['height', measured.height]] as const) {
    const declared = image[key];
    if (declared !== undefined && declared !== value) {
      warn(`lead image ${shown} is ${measured.width}x${measured.height} pixels but the front matter declares ${key} ${declared}: remove width and height (they are read from the file) or correct them`);
      break;
    }
  }
  const complete = withFacts(image, { type, width: measured.width, height: measured.height, length: file.size });
  if (type !== IMAGE_MEDIA_TYPES.svg) checkWidth(complete, shown, context.minImageWidth, warn);
  return { image: complete, warnings };
}

/** Type and displayed size from a header, or undefined when it holds none; an EXIF rotation by a quarter turn swaps the sides. */
function measure(head: Buffer): { type: string; width: number; height: number } | undefined {
  try {
    const size = imageSize(head);
    if (size.type === undefined || !(size.width > 0) || !(size.height > 0)) return undefined;
    const turned = size.orientation !== undefined && size.orientation >= 5;
    return { type: size.type, width: turned ? size.height : size.width, height: turned ? size.width : size.height };
  } catch {
    // image-size throws for unknown formats and for headers cut short: both mean "no size here".
    return undefined;
  }
}

function withFacts(image: LeadImage, facts: { type: string; width?: number; height?: number; length: number }): LeadImage {
  // Rebuilt in a fixed key order, so that every lead image has one shape.
  return Object.freeze({
    url: image.url,
    type: facts.type,
    ...(facts.width === undefined ? {} : { width: facts.width }),
    ...(facts.height === undefined ? {} : { height: facts.height }),
    length: facts.length,
    ...(image.alt === undefined ? {} : { alt: image.alt }),
    ...(image.caption === undefined ? {} : { caption: image.caption }),
    ...(image.credit === undefined ? {} : { credit: image.credit }),
  });
}

function checkWidth(image: LeadImage, shown: string, minimum: number, warn: (message: string) => void): void {
  if (image.width === undefined || image.width >= minimum) return;
  const size = image.height === undefined ? `${image.width} pixels wide` : `${image.width}x${image.height} pixels`;
  warn(`lead image ${shown} is ${size}, narrower than the ${minimum} pixels partners ask for (MIN_IMAGE_WIDTH): use a larger rendition`);
}
