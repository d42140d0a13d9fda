/**
 * Characters XML 1.0 cannot carry even as references (C0 controls other than tab, LF and CR,
 * U+FFFE, U+FFFF, unpaired surrogates). Site names come from site.yaml, which no earlier stage
 * promises to clean, and one such character makes a whole OPML file unreadable.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const SPECIALS = /[&<>"']/g;
const REPLACEMENTS: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function replace(special: string): string {
  return REPLACEMENTS[special] ?? special;
}

/**
 * Text made safe for HTML and XML alike, both as element content and inside a quoted attribute
 * of either kind: one function for every untrusted string keeps the pages free of "which escape
 * does this spot need" decisions.
 */
export function escapeMarkup(text: string): string {
  return text.replace(ILLEGAL, '').replace(SPECIALS, replace);
}
