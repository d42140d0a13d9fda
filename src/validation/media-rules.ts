/**
 * Media RSS as Wirefeed writes it (feeds/media-rss.ts), in RSS and Atom alike, and its JSON Feed
 * twin `_media`: a partner that reads the image must get an absolute http(s) URL, a media type,
 * and sizes that are whole numbers. The namespace must be the specification's own, trailing
 * slash included: a near miss binds the prefix to elements no reader knows.
 */
import { MEDIA_NAMESPACE } from '../feeds/media-rss.ts';
import type { Report } from './feed-rules.ts';
import { checkHttpUrl, requireText } from './feed-rules.ts';
import type { XmlNode } from './xml-parser.ts';
import { attributeOf, childElements, prefixFor } from './xml-parser.ts';

const NEAR_MISSES = new Set(['http://search.yahoo.com/mrss', 'https://search.yahoo.com/mrss/', 'https://search.yahoo.com/mrss']);
const WHOLE = /^[0-9]+$/;

/** The prefix the document binds to Media RSS ("media" unless it chose another); a near-miss binding is reported. */
export function mediaPrefix(root: XmlNode, reportFeed: Report): string {
  for (const [key, value] of Object.entries(root)) {
    if (key.startsWith('@_xmlns:') && typeof value === 'string' && NEAR_MISSES.has(value)) {
      reportFeed(key.slice('@_'.length), `binds ${JSON.stringify(value)}; Media RSS is ${MEDIA_NAMESPACE} (with the trailing slash)`);
    }
  }
  return prefixFor(root, MEDIA_NAMESPACE, 'media');
}

function checkSize(report: Report, field: string, value: string | number | undefined, minimum: 0 | 1): void {
  if (value === undefined) return;
  const text = String(value);
  if (!WHOLE.test(text) || Number(text) < minimum || !Number.isSafeInteger(Number(text))) {
    report(field, `${JSON.stringify(value)} is not a ${minimum === 1 ? 'positive ' : ''}whole number`);
  }
}

/** Every `media:content` of one item or entry. */
export function checkMediaContents(report: Report, parent: XmlNode, prefix: string): void {
  for (const content of childElements(parent, `${prefix}:content`)) {
    const field = `${prefix}:content`;
    const url = attributeOf(content, 'url');
    if (requireText(report, `${field} url`, url)) checkHttpUrl(report, `${field} url`, url);
    const medium = attributeOf(content, 'medium');
    if (medium !== undefined && !['image', 'audio', 'video', 'document', 'executable'].includes(medium)) report(`${field} medium`, `${JSON.stringify(medium)} is not a Media RSS medium`);
    checkSize(report, `${field} width`, attributeOf(content, 'width'), 1);
    checkSize(report, `${field} height`, attributeOf(content, 'height'), 1);
    checkSize(report, `${field} fileSize`, attributeOf(content, 'fileSize'), 0);
  }
}

/** JSON Feed's `_media` member of one item, when it has one. */
export function checkJsonMedia(report: Report, media: unknown, image: unknown): void {
  if (media === undefined) return;
  if (typeof media !== 'object' || media === null || Array.isArray(media)) return report('_media', 'must be an object');
  const members = media as Record<string, unknown>;
  const text = (key: string): string | undefined => {
    const value = members[key];
    if (value !== undefined && typeof value !== 'string') report(`_media.${key}`, 'must be a string');
    return typeof value === 'string' ? value : undefined;
  };
  const url = text('url');
  if (requireText(report, '_media.url', url)) checkHttpUrl(report, '_media.url', url);
  if (url !== undefined && image !== url) report('_media.url', 'differs from the item\'s image');
  requireText(report, '_media.mime_type', text('mime_type'));
  for (const key of ['alt', 'caption', 'credit']) text(key);
  for (const [key, minimum] of [['width', 1], ['height', 1], ['size_in_bytes', 0]] as const) {
    const value = members[key];
    if (value !== undefined && typeof value !== 'number') report(`_media.${key}`, 'must be a number');
    else checkSize(report, `_media.${key}`, value, minimum);
  }
}
