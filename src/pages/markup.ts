/**
 * How values from the store become markup: text escaped, dates formatted, URLs vetted.
 * Every HTML page and the OPML file go through these, so they live apart from either.
 */

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

/**
 * A date for people and one for machines. Always UTC and always this one shape: a page must come
 * out byte-identical on every machine (its ETag depends on it), which rules out the host's time
 * zone and its locale data.
 */
export function formatPageDate(epochMs: number): { readonly machine: string; readonly human: string } {
  const machine = new Date(epochMs).toISOString();
  return { machine, human: `${machine.slice(0, 10)} ${machine.slice(11, 16)} UTC` };
}

const LINKABLE_PROTOCOLS = new Set(['http:', 'https:']);

/**
 * The URL to put in an href, or undefined when the value is not an absolute http(s) URL.
 * Author and publisher URLs come from front matter; escaping alone would still let
 * `javascript:` through as a working link.
 */
export function linkableUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return undefined;
  }
  return LINKABLE_PROTOCOLS.has(parsed.protocol) ? parsed.href : undefined;
}
