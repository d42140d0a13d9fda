/**
 * Characters XML 1.0 cannot carry at all, not even as character references: C0 controls other
 * than tab, LF and CR; U+FFFE and U+FFFF; and lone surrogates (the `u` flag makes a paired
 * surrogate one code point outside this class, so only unpaired halves match).
 */
// Matching control characters is the point of this expression.
// eslint-disable-next-line no-control-regex
const XML_ILLEGAL = /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF\uD800-\uDFFF]/u;
const XML_ILLEGAL_ALL = new RegExp(XML_ILLEGAL.source, 'gu');
/** Without the `u` flag three times faster; it also matches paired surrogates, so it only decides whether to look closer. */
// eslint-disable-next-line no-control-regex
const MAYBE_ILLEGAL = /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF\uD800-\uDFFF]/;

/**
 * The article stage already strips these; feeds strip again because one slipped-through
 * character makes the whole document unreadable for every subscriber, and JSON Feed gets the
 * same cleaning so that an item reads the same in all three formats.
 */
export function stripXmlIllegalCharacters(text: string): string {
  return MAYBE_ILLEGAL.test(text) && XML_ILLEGAL.test(text) ? text.replace(XML_ILLEGAL_ALL, '') : text;
}

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
  return stripXmlIllegalCharacters(text).replace(TEXT_SPECIALS, replace);
}

/** An attribute value for a double-quoted attribute. */
export function escapeXmlAttribute(text: string): string {
  return stripXmlIllegalCharacters(text).replace(ATTRIBUTE_SPECIALS, replace);
}
