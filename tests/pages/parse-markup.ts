import { XMLParser } from 'fast-xml-parser';

/** A parsed element: attributes under their own names, text under "#text", children by tag name. */
export type MarkupNode = { readonly [key: string]: unknown } | string;

/**
 * The pages are polyglot markup and the OPML is XML, so both parse with fast-xml-parser; tests
 * read them back as trees instead of matching text. `htmlEntities` decodes numeric references.
 */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  htmlEntities: true,
});

export function parseMarkup(text: string): MarkupNode {
  return parser.parse(text, true) as MarkupNode;
}

/** Every element named `name`, at any depth, in document order within each parent. */
export function findElements(tree: unknown, name: string): MarkupNode[] {
  const found: MarkupNode[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === name) found.push(...(Array.isArray(value) ? value : [value]).map((item) => item as MarkupNode));
      visit(value);
    }
  };
  visit(tree);
  return found;
}

export function attribute(node: MarkupNode | undefined, name: string): string | undefined {
  if (node === undefined || typeof node === 'string') return undefined;
  const value = node[name];
  return typeof value === 'string' ? value : undefined;
}

/** The element's own text (children's text excluded). */
export function textOf(node: MarkupNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node === 'string') return node;
  const text = node['#text'];
  return typeof text === 'string' ? text : undefined;
}
