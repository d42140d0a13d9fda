import { XMLBuilder } from 'fast-xml-parser';

/**
 * An element in the shape fast-xml-parser's XMLBuilder takes: `@_name` keys are attributes,
 * `#text` is character data, any other key is a child element (an array repeats it).
 * Every string in it must already be escaped with escapeXmlText / escapeXmlAttribute.
 */
export interface XmlElement {
  readonly [key: string]: string | XmlElement | readonly XmlElement[] | undefined;
}

/**
 * The builder's own entity handling is off (processEntities: false) because escaping happens
 * once, in xml-safe-text.ts, where illegal characters are also stripped and CR, tab and
 * newline in attributes become references; letting the builder escape as well would double it.
 * suppressBooleanAttributes must be off: left on, an attribute whose value is the string "true"
 * (a tag named "true") would be written without a value, which is not XML.
 */
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  processEntities: false,
  suppressBooleanAttributes: false,
  suppressEmptyNode: true,
  format: true,
  indentBy: '  ',
});

/** A complete XML document, UTF-8 declared, from its root element. */
export function writeXmlDocument(rootName: string, root: XmlElement): string {
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    [rootName]: root,
  }) as string;
}
