/**
 * The one place fast-xml-parser is configured. Documents reach it only after
 * findXmlSyntaxError (check-well-formed-xml.ts) has found nothing wrong, so it never has to be
 * the judge of well-formedness.
 */
import { XMLParser } from 'fast-xml-parser';

/**
 * A parsed element: attributes under `@_name`, character data (CDATA included) under `#text`,
 * and every child element, repeated or not, as an array under its qualified name.
 */
export interface XmlNode {
  readonly '#text'?: string;
  readonly [key: string]: string | readonly XmlNode[] | undefined;
}

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const REFERENCE = /&(?:#([0-9]+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));/g;

/** Expands the references XML 1.0 defines without a DTD: the five predefined entities and character references. */
export function decodeXmlReferences(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(REFERENCE, (match, decimal?: string, hex?: string, named?: string) => {
    if (named !== undefined) return PREDEFINED[named] ?? match;
    return String.fromCodePoint(Number.parseInt(decimal ?? hex ?? '0', decimal !== undefined ? 10 : 16));
  });
}

const CDATA = /<!\[CDATA\[([\s\S]*?)\]\]>/g;

/**
 * The text of an element kept raw (see STOP_NODES): CDATA sections verbatim, references
 * expanded elsewhere. Markup inside (Atom type="xhtml") stays as text, enough for "is it empty".
 */
function decodeRawText(raw: string): string {
  if (!raw.includes('<![CDATA[')) return decodeXmlReferences(raw);
  let text = '';
  let last = 0;
  for (const match of raw.matchAll(CDATA)) {
    text += decodeXmlReferences(raw.slice(last, match.index)) + (match[1] ?? '');
    last = match.index + match[0].length;
  }
  return text + decodeXmlReferences(raw.slice(last));
}

/**
 * fast-xml-parser 5.12 expands numeric character references only when `htmlEntities` is on,
 * which would also expand HTML names XML does not define; its `entityDecoder` hook takes a
 * decoder doing exactly what XML 1.0 says. There is no DTD to add entities from (refused by
 * the well-formedness check), so the registration hooks have nothing to do.
 */
const xmlEntityDecoder = {
  setExternalEntities: (): void => undefined,
  addInputEntities: (): void => undefined,
  reset: (): void => undefined,
  setXmlVersion: (): void => undefined,
  decode: decodeXmlReferences,
};

/**
 * Elements holding article HTML or long text are not parsed into: rules only need to know
 * they are there and non-empty, and character-by-character text collection made the parse
 * six times slower on real feeds. decodeRawText reads them when needed.
 */
const RAW_TEXT_ELEMENTS = ['content:encoded', 'description', 'content', 'summary'] as const;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  alwaysCreateTextNode: true,
  // Every element an array, attributes plain strings: rules never guess at the shape.
  isArray: (_name: string, _path: unknown, _isLeaf: boolean, isAttribute: boolean) => !isAttribute,
  // Text exactly as written: no trimming, no turning "0123" into a number.
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  entityDecoder: xmlEntityDecoder,
  ignoreDeclaration: true,
  ignorePiTags: true,
  stopNodes: RAW_TEXT_ELEMENTS.map((name) => `*.${name}`),
  // Deep enough for any feed; deeper input is reported as a problem, not a crash.
  maxNestedTags: 100,
  // Callbacks get the matcher instead of a path string built for every element (20% faster).
  jPath: false,
});

/** Parses a well-formed document into its root element's name and node. */
export function parseXml(text: string): { readonly rootName: string; readonly root: XmlNode } {
  const document = parser.parse(text) as Record<string, unknown>;
  for (const [name, value] of Object.entries(document)) {
    if (Array.isArray(value) && value.length > 0) return { rootName: name, root: value[0] as XmlNode };
  }
  throw new Error('no root element found');
}

/** Child elements by qualified name, in document order. */
export function childElements(node: XmlNode, name: string): readonly XmlNode[] {
  const value = node[name];
  return Array.isArray(value) ? value : [];
}

export function childElement(node: XmlNode, name: string): XmlNode | undefined {
  return childElements(node, name)[0];
}

export function attributeOf(node: XmlNode, name: string): string | undefined {
  const value = node[`@_${name}`];
  return typeof value === 'string' ? value : undefined;
}

const RAW = new Set<string>(RAW_TEXT_ELEMENTS);

function elementText(name: string, node: XmlNode): string {
  const text = node['#text'];
  if (typeof text !== 'string') return '';
  return RAW.has(name) ? decodeRawText(text) : text;
}

/** Character data of the first child element of that name; undefined when there is none. */
export function childText(parent: XmlNode, name: string): string | undefined {
  const child = childElement(parent, name);
  return child === undefined ? undefined : elementText(name, child);
}

/** Character data of every child element of that name, in document order. */
export function childTexts(parent: XmlNode, name: string): string[] {
  return childElements(parent, name).map((child) => elementText(name, child));
}

/** All character data inside an element, descendants included: for Atom type="xhtml" text. */
export function deepText(node: XmlNode): string {
  let text = typeof node['#text'] === 'string' ? node['#text'] : '';
  for (const [key, value] of Object.entries(node)) {
    if (key !== '#text' && !key.startsWith('@_') && Array.isArray(value)) {
      for (const child of value as readonly XmlNode[]) text += deepText(child);
    }
  }
  return text;
}

/**
 * The prefix the document binds to a namespace on its root, else the usual one. Namespace
 * well-formedness (every prefix declared) is already checked; this finds the elements readers
 * look for even under an unusual prefix.
 */
export function prefixFor(root: XmlNode, namespace: string, usual: string): string {
  for (const [key, value] of Object.entries(root)) {
    if (key.startsWith('@_xmlns:') && value === namespace) return key.slice('@_xmlns:'.length);
  }
  return usual;
}
