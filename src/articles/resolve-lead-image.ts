import type { LeadImage } from '../domain/article.ts';
import { IMAGE_MEDIA_TYPES, imageMediaType } from '../domain/documents.ts';
import type { YamlValue } from '../store/parse-yaml-strictly.ts';
import { resolveHttpUrl } from '../domain/resolve-http-url.ts';
import type { FieldProblem } from './field-values.ts';
import { cleanInlineText, scalarText, showValue } from './field-values.ts';

/** The keys an `image` mapping may have, in the order problems list them. */
export const LEAD_IMAGE_KEYS = ['url', 'width', 'height', 'alt', 'caption', 'credit'] as const;

/** Larger than any image a partner takes (MSN's limit is 15 MB); a bigger number is a typo. */
const MAX_DECLARED_PIXELS = 100_000;

type TextKey = 'alt' | 'caption' | 'credit';
const TEXT_EXAMPLES: Readonly<Record<TextKey, string>> = {
  alt: '"alt: The harbour at dawn, seen from the lighthouse"',
  caption: '"caption: Fishing boats return before the storm."',
  credit: '"credit: Jane Doe / Agency"',
};

/**
 * The lead image, `image` in the front matter: either its URL (an http(s) URL, or a path on the
 * site resolved against the base URL), or a mapping with `url` and the optional `width`,
 * `height` (whole pixels), `alt`, `caption` and `credit` (plain text). Its media type comes
 * from the extension because feeds must state one; for an image in the store the article loader
 * replaces type and size with what the file says (measure-lead-image.ts).
 */
export function resolveLeadImage(value: YamlValue | undefined, baseUrl: string, problems: FieldProblem[]): LeadImage | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) return resolveUrl('image', value, baseUrl, problems);
  const count = problems.length;
  const unknown = Object.keys(value).filter((key) => !(LEAD_IMAGE_KEYS as readonly string[]).includes(key));
  for (const key of unknown) {
    problems.push({ field: `image.${key}`, message: `image.${key} is not a lead-image field: use only ${LEAD_IMAGE_KEYS.join(', ')}` });
  }
  const rawUrl = value.url;
  if (rawUrl === undefined || rawUrl === null) {
    problems.push({ field: 'image.url', message: 'image.url is missing: a lead image mapping needs the URL, e.g. "url: /images/lead.jpg"' });
  }
  const url = rawUrl === undefined || rawUrl === null ? undefined : resolveUrl('image.url', rawUrl, baseUrl, problems);
  const width = readPixels('width', value.width, problems);
  const height = readPixels('height', value.height, problems);
  const texts: Partial<Record<TextKey, string>> = {};
  for (const key of ['alt', 'caption', 'credit'] as const) {
    const text = readText(key, value[key], problems);
    if (text !== undefined) texts[key] = text;
  }
  if (url === undefined || problems.length > count) return undefined;
  return Object.freeze({
    url: url.url,
    type: url.type,
    ...(width === undefined ? {} : { width }),
    ...(height === undefined ? {} : { height }),
    ...texts,
  });
}

function resolveUrl(field: string, value: YamlValue, baseUrl: string, problems: FieldProblem[]): { url: string; type: string } | undefined {
  const text = scalarText(value);
  const url = text === undefined ? undefined : resolveHttpUrl(cleanInlineText(text), baseUrl);
  if (url === undefined) {
    const mapping = field === 'image' ? ', or a mapping with url and the optional width, height, alt, caption and credit' : '';
    problems.push({ field, message: `${field} ${showValue(value)} is not an http(s) URL or a path on the site: write it like /images/lead.jpg or https://cdn.example.com/lead.jpg${mapping}` });
    return undefined;
  }
  const type = imageMediaType(new URL(url).pathname);
  if (type === undefined) {
    problems.push({ field, message: `${field} ${showValue(value)} does not end in a known image extension: use a URL ending in ${Object.keys(IMAGE_MEDIA_TYPES).map((e) => `.${e}`).join(', ')}` });
    return undefined;
  }
  return { url, type };
}

function readPixels(key: 'width' | 'height', value: YamlValue | undefined, problems: FieldProblem[]): number | undefined {
  if (value === undefined || value === null) return undefined;
  // The strict YAML reader gives whole numbers as bigint.
  const pixels = typeof value === 'bigint' ? Number(value) : value;
  if (typeof pixels === 'number' && Number.isInteger(pixels) && pixels >= 1 && pixels <= MAX_DECLARED_PIXELS) return pixels;
  problems.push({
    field: `image.${key}`,
    message: `image.${key} ${showValue(value)} must be a whole number of pixels from 1 to ${MAX_DECLARED_PIXELS}, e.g. "${key}: ${key === 'width' ? 1200 : 800}", or remove it`,
  });
  return undefined;
}

function readText(key: TextKey, value: YamlValue | undefined, problems: FieldProblem[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = scalarText(value);
  const cleaned = text === undefined ? '' : cleanInlineText(text);
  if (cleaned === '') {
    problems.push({ field: `image.${key}`, message: `image.${key} ${showValue(value)} must be plain text, e.g. ${TEXT_EXAMPLES[key]}, or remove it` });
    return undefined;
  }
  return cleaned;
}
