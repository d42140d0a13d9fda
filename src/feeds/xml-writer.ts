/**
 * The XML serialiser behind the RSS and Atom builders. It escapes every text and attribute
 * value itself (xml-safe-text.ts), so a builder cannot forget to; element and attribute names
 * are constants in the builders. Two reasons it is not fast-xml-parser's XMLBuilder:
 * - Speed. A site's feed set repeats the same articles across the site feed and each of their
 *   category feeds (150 documents of 50 items held 1,300 distinct articles in our measurement);
 *   this writer renders an item once and splices the finished fragment into every document,
 *   with the right indentation. XMLBuilder cannot embed a fragment at a given depth, and its
 *   string assembly alone took longer than everything else in a build.
 * - Fewer traps: XMLBuilder writes an attribute whose value is "true" without a value unless
 *   suppressBooleanAttributes is turned off, and its entity handling had to be disabled to
 *   avoid escaping twice.
 */
import { escapeXmlAttribute, escapeXmlText } from './xml-safe-text.ts';

let createFragment: (xml: string) => XmlFragment = () => {
  throw new Error('feeds: XmlFragment is not initialised');
};

/** Serialised XML produced by this module, so always well-formed; no other module can make one. */
export class XmlFragment {
  readonly #xml: string;

  private constructor(xml: string) {
    this.#xml = xml;
  }

  get xml(): string {
    return this.#xml;
  }

  static {
    createFragment = (xml) => new XmlFragment(xml);
  }
}

/**
 * An element to be written: `@name` keys are attributes, `#text` is character data, any other
 * key is a child element (an array repeats it; a fragment is spliced in as written). Values are
 * plain, unescaped text. An undefined value leaves the key out.
 */
export interface XmlElement {
  readonly [key: string]: string | XmlElement | XmlFragment | readonly (XmlElement | XmlFragment)[] | undefined;
}

const INDENT = '  ';

function writeElement(name: string, element: XmlElement, depth: number, out: string[]): void {
  const indent = INDENT.repeat(depth);
  let attributes = '';
  let text = '';
  let hasChildren = false;
  for (const key in element) {
    const value = element[key];
    if (value === undefined) continue;
    if (key.charCodeAt(0) === 0x40 /* @ */) attributes += ` ${key.slice(1)}="${escapeXmlAttribute(value as string)}"`;
    else if (key === '#text') text = escapeXmlText(value as string);
    else hasChildren = true;
  }
  if (!hasChildren) {
    out.push(text === '' ? `${indent}<${name}${attributes}/>\n` : `${indent}<${name}${attributes}>${text}</${name}>\n`);
    return;
  }
  // Mixed content never occurs in feeds; text next to child elements would be dropped, so refuse it.
  if (text !== '') throw new Error(`feeds: <${name}> has both text and child elements`);
  out.push(`${indent}<${name}${attributes}>\n`);
  for (const key in element) {
    const value = element[key];
    if (value === undefined || typeof value === 'string') continue;
    const children = Array.isArray(value) ? (value as readonly (XmlElement | XmlFragment)[]) : [value as XmlElement | XmlFragment];
    for (const child of children) {
      if (child instanceof XmlFragment) out.push(child.xml);
      else writeElement(key, child, depth + 1, out);
    }
  }
  out.push(`${indent}</${name}>\n`);
}

/** One element, written at `depth` levels of indentation, for splicing into documents later. */
export function writeXmlFragment(name: string, element: XmlElement, depth: number): XmlFragment {
  const out: string[] = [];
  writeElement(name, element, depth, out);
  return createFragment(out.join(''));
}

/** A complete XML document, UTF-8 declared, from its root element. */
export function writeXmlDocument(rootName: string, root: XmlElement): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  writeElement(rootName, root, 0, out);
  return out.join('');
}
