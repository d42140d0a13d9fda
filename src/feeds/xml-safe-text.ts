import { stripXmlIllegalChars } from '../domain/strip-xml-illegal-chars.ts';

const TEXT_SPECIALS = /[&<>\r]/g;
const ATTRIBUTE_SPECIALS = /[&<>"\t\n\r]/g;
const REPLACEMENTS: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  // A parser turns a literal CR (or CRLF) into LF and, inside attributes, tab and newline
  // into spaces; character references survive both normalisations, so text round-trips exactly.
  '\r': '&#13;',
  '\t': '&#9;',
  '\n': '&#10;',
};

function replace(special: string): string {
  return REPLACEMENTS[special] ?? special;
}

/**
 * Character data for an element (RSS through XMLBuilder; what finish-feed-library-output.ts
 * writes into Atom). `>` is escaped too, so `]]>` can never appear in the output, and no CDATA
 * section is needed.
 */
export function escapeXmlText(text: string): string {
  return stripXmlIllegalChars(text).replace(TEXT_SPECIALS, replace);
}

/** An attribute value for a double-quoted attribute. */
export function escapeXmlAttribute(text: string): string {
  return stripXmlIllegalChars(text).replace(ATTRIBUTE_SPECIALS, replace);
}
