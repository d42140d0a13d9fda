import sanitizeHtml from 'sanitize-html';
import { stripXmlIllegalChars } from '../domain/strip-xml-illegal-chars.ts';

export interface SanitiseOptions {
  /** The site's base URL (no trailing slash); relative links and images resolve against it. */
  readonly baseUrl: string;
  /**
   * The article's page on the publisher's site, when it has one: `#fragment` links resolve
   * against it. Without it they are dropped, because the sanitiser removes `id` attributes and
   * the anchor would not exist in Wirefeed's copy (resolving against the base URL would send the
   * reader to the home page instead).
   */
  readonly publisherPageUrl?: string;
}

/** What a news article needs, and nothing that runs code, loads frames or submits forms. */
const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'blockquote', 'pre', 'code', 'kbd', 'samp',
  'em', 'strong', 'b', 'i', 'u', 's', 'del', 'ins', 'sub', 'sup', 'small', 'mark', 'abbr', 'cite', 'q',
  'a', 'img', 'figure', 'figcaption',
  'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
];

const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  a: ['href', 'title'],
  img: ['src', 'alt', 'title', 'width', 'height'],
  abbr: ['title'],
  blockquote: ['cite'],
  q: ['cite'],
  ol: ['start'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan', 'scope'],
};

/** Elements whose content is code or widgets, not article text: dropped together with their content. */
const NON_TEXT_TAGS = [
  'script', 'style', 'textarea', 'option', 'select', 'button', 'xmp', 'noscript', 'noembed', 'noframes',
  'iframe', 'object', 'embed', 'template', 'svg', 'math', 'title', 'head',
];

/**
 * Makes article HTML safe to put in feeds and pages: an allowlist of tags and attributes, no
 * event handlers, only http(s)/mailto/tel links and http(s) images (so no `javascript:`,
 * `vbscript:` or `data:`), every URL absolute (feed readers have no base URL to resolve
 * against), lazy-loaded images given their real source, and 1x1 tracking pixels removed.
 */
export function sanitiseArticleHtml(html: string, options: SanitiseOptions): string {
  const absolute = (value: string | undefined): string | undefined => absoluteUrl(value, options);
  const clean = sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedClasses: { code: ['language-*'] },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    nonTextTags: NON_TEXT_TAGS,
    disallowedTagsMode: 'discard',
    transformTags: {
      a: (tagName, attribs) => withUrl(tagName, attribs, 'href', absolute(attribs.href)),
      blockquote: (tagName, attribs) => withUrl(tagName, attribs, 'cite', absolute(attribs.cite)),
      q: (tagName, attribs) => withUrl(tagName, attribs, 'cite', absolute(attribs.cite)),
      img: (tagName, attribs) => {
        // Lazy-loading markup keeps the real image in data-src and a placeholder in src.
        const source = nonEmpty(attribs['data-src']) ?? nonEmpty(attribs['data-lazy-src']) ?? attribs.src;
        return withUrl(tagName, attribs, 'src', absolute(source));
      },
    },
    exclusiveFilter: (frame) => frame.tag === 'img' && (!frame.attribs.src || isTrackingPixel(frame.attribs)),
  });
  return stripXmlIllegalChars(clean);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function withUrl(tagName: string, attribs: sanitizeHtml.Attributes, name: string, url: string | undefined): sanitizeHtml.Tag {
  const next: sanitizeHtml.Attributes = { ...attribs };
  if (url === undefined) delete next[name];
  else next[name] = url;
  return { tagName, attribs: next };
}

/**
 * Relative references become absolute; anything else is returned as the URL parser reads it
 * (which also undoes tricks like "java\tscript:") and left to the scheme allowlist.
 */
function absoluteUrl(value: string | undefined, options: SanitiseOptions): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  try {
    if (trimmed.startsWith('#')) {
      return options.publisherPageUrl === undefined ? undefined : new URL(trimmed, options.publisherPageUrl).href;
    }
    return new URL(trimmed, `${options.baseUrl}/`).href;
  } catch {
    return undefined;
  }
}

/** An image at most 1x1 pixel exists only to report that someone opened the article. */
function isTrackingPixel(attribs: Record<string, string>): boolean {
  const width = Number.parseFloat(attribs.width ?? '');
  const height = Number.parseFloat(attribs.height ?? '');
  return width <= 1 && height <= 1;
}
