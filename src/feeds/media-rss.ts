/**
 * The lead image as Media RSS (https://www.rssboard.org/media-rss, version 1.5.1), the form
 * Google News, MSN, Flipboard and SmartNews read images in, in RSS and in Atom alike:
 *
 *     <media:content url="…" fileSize="…" type="image/jpeg" medium="image" width="1200" height="800">
 *       <media:title type="plain">alt text</media:title>
 *       <media:description type="plain">caption</media:description>
 *       <media:credit>credit</media:credit>
 *     </media:content>
 *
 * `fileSize`, `width` and `height` only when known (a store image's are read from its file);
 * the alt text goes in `media:title`, the element the specification gives for what the object
 * shows, and the caption in `media:description`. No `media:thumbnail`: Wirefeed makes no smaller
 * renditions, and the specification's thumbnail is one. The namespace is declared on the root
 * only by documents that use it, so a feed without images keeps its bytes.
 */
import type { LeadImage } from '../domain/article.ts';
import { escapeXmlAttribute, escapeXmlText } from './xml-safe-text.ts';

/** With the trailing slash, as the specification insists. */
export const MEDIA_NAMESPACE = 'http://search.yahoo.com/mrss/';
export const MEDIA_PREFIX = 'media';

interface MediaElement {
  readonly name: string;
  readonly attributes: readonly (readonly [string, string])[];
  readonly text?: string;
  readonly children: readonly MediaElement[];
}

/** The one description of the element both serialisations below write. */
function mediaContent(image: LeadImage): MediaElement {
  const attributes: [string, string][] = [['url', image.url]];
  if (image.length !== undefined) attributes.push(['fileSize', String(image.length)]);
  attributes.push(['type', image.type], ['medium', 'image']);
  if (image.width !== undefined) attributes.push(['width', String(image.width)]);
  if (image.height !== undefined) attributes.push(['height', String(image.height)]);
  const plain = (name: string, text: string | undefined): MediaElement[] => (text === undefined ? [] : [{ name, attributes: [['type', 'plain']], text, children: [] }]);
  const children = [
    ...plain(`${MEDIA_PREFIX}:title`, image.alt),
    ...plain(`${MEDIA_PREFIX}:description`, image.caption),
    ...(image.credit === undefined ? [] : [{ name: `${MEDIA_PREFIX}:credit`, attributes: [], text: image.credit, children: [] }]),
  ];
  return { name: `${MEDIA_PREFIX}:content`, attributes, children };
}

/** What fast-xml-parser's XMLBuilder takes for one element (see build-rss.ts): `@name` attributes, `#text`, children by name. */
export interface MediaBuilderElement {
  readonly [key: string]: string | MediaBuilderElement | undefined;
}

function toBuilder(element: MediaElement): MediaBuilderElement {
  const object: Record<string, string | MediaBuilderElement> = {};
  for (const [name, value] of element.attributes) object[`@${name}`] = value;
  if (element.text !== undefined) object['#text'] = element.text;
  for (const child of element.children) object[child.name] = toBuilder(child);
  return object;
}

/** `media:content` for an RSS item, as XMLBuilder input: the value of the item's "media:content" key. */
export function rssMediaContent(image: LeadImage): MediaBuilderElement {
  return toBuilder(mediaContent(image));
}

function toXml(element: MediaElement, indent: string): string {
  const attributes = element.attributes.map(([name, value]) => ` ${name}="${escapeXmlAttribute(value)}"`).join('');
  const open = `${indent}<${element.name}${attributes}`;
  if (element.children.length > 0) {
    const children = element.children.map((child) => toXml(child, `${indent}    `)).join('\n');
    return `${open}>\n${children}\n${indent}</${element.name}>`;
  }
  return element.text === undefined ? `${open}/>` : `${open}>${escapeXmlText(element.text)}</${element.name}>`;
}

/** `media:content` as XML text for an Atom entry, each line starting with `indent`. */
export function atomMediaContent(image: LeadImage, indent: string): string {
  return toXml(mediaContent(image), indent);
}
