/**
 * Characters that XML 1.0 forbids anywhere in a document, even escaped: C0 controls other than
 * tab, LF and CR; U+FFFE and U+FFFF; and UTF-16 surrogates that are not part of a pair.
 * The regex has no `u` flag on purpose: with it, lone surrogates could not be matched.
 */
const XML_ILLEGAL =
  // eslint-disable-next-line no-control-regex -- matching control characters is the whole point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// Any candidate, surrogates included (most of which are part of valid pairs, e.g. emoji).
// eslint-disable-next-line no-control-regex -- matching control characters is the whole point
const MAYBE_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/**
 * Removes them. Every text field that can reach a feed goes through this, because one such
 * character makes a whole RSS or Atom document unparseable for every reader.
 */
export function stripXmlIllegalChars(text: string): string {
  // Almost all text has none: one plain character-class scan avoids the slower look-around
  // pattern, which matters when every article's body passes through here twice.
  return MAYBE_ILLEGAL.test(text) ? text.replace(XML_ILLEGAL, '') : text;
}

/** XML 1.0's Char production, one code point at a time: what the validator checks documents against. */
export function isXmlChar(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}
