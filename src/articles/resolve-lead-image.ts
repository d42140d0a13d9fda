import type { LeadImage } from '../domain/article.ts';
import type { YamlValue } from '../store/parse-yaml-strictly.ts';
import { resolveHttpUrl } from '../domain/resolve-http-url.ts';
import type { FieldProblem } from './field-values.ts';
import { cleanInlineText, scalarText, showValue } from './field-values.ts';

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
};

/**
 * The lead image: an http(s) URL, relative ones resolved against the site's base URL. Its media
 * type comes from the extension because feeds must state one (RSS enclosure, JSON Feed
 * attachments) and we do not fetch the image to find out.
 */
export function resolveLeadImage(value: YamlValue | undefined, baseUrl: string, problems: FieldProblem[]): LeadImage | undefined {
  if (value === undefined || value === null) return undefined;
  const text = scalarText(value);
  const url = text === undefined ? undefined : resolveHttpUrl(cleanInlineText(text), baseUrl);
  if (url === undefined) {
    problems.push({ field: 'image', message: `image ${showValue(value)} is not an http(s) URL or a path on the site: write it like /images/lead.jpg or https://cdn.example.com/lead.jpg` });
    return undefined;
  }
  const extension = /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  const type = extension === undefined ? undefined : MEDIA_TYPES[extension];
  if (type === undefined) {
    problems.push({ field: 'image', message: `image ${showValue(value)} does not end in a known image extension: use a URL ending in ${Object.keys(MEDIA_TYPES).map((e) => `.${e}`).join(', ')}` });
    return undefined;
  }
  return Object.freeze({ url, type });
}
