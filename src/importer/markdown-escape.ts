/**
 * Escaping for text that arrives as plain prose (scraped pages) and is written out as Markdown.
 * Only characters that would change what the reader sees are escaped, so the stored file stays
 * readable; emphasis the scraper already wrote as `*word*` is kept as emphasis.
 */

/**
 * A span that CommonMark would treat as emphasis and that reads as intended emphasis: the
 * delimiters hug the text and sit at word boundaries (`*Touska*`, `**Breaking**`, `_sic_`).
 * Anything else made of `*` or `_` is prose ("5 * 3", "marked *") and gets escaped.
 */
const EMPHASIS_SPAN = /(?<![\p{L}\p{N}\\*_])(\*\*|\*|__|_)(?![\s*_])(.*?[^\s*_\\])\1(?![\p{L}\p{N}*_])/gu;

const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;
const ALPHANUMERIC = /[\p{L}\p{N}]/u;
/** What follows `<` in a raw HTML tag, comment, declaration or autolink. */
const HTML_TAG_START = /[a-zA-Z/!?]/;
/** `&copy;`, `&#169;`, `&#xA9;` would be decoded by a Markdown renderer. */
const ENTITY_REFERENCE = /^&(?:#\d{1,7}|#[xX][\da-fA-F]{1,6}|[a-zA-Z][a-zA-Z\d]{1,31});/;

function escapeCharacters(text: string): string {
  let out = '';
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charAt(index);
    const before = text.charAt(index - 1);
    const after = text.charAt(index + 1);
    let escape = false;
    switch (char) {
      case '\\':
        // A backslash only acts as an escape before punctuation, or as a hard break at the end.
        escape = after === '' || ASCII_PUNCTUATION.test(after);
        break;
      case '`':
      case '*':
        escape = true;
        break;
      case '_':
        // CommonMark never opens or closes `_` emphasis inside a word: snake_case is safe as is.
        escape = !(ALPHANUMERIC.test(before) && ALPHANUMERIC.test(after));
        break;
      case '[':
        // Without a later `]` there can be no link text.
        escape = text.includes(']', index + 1);
        break;
      case '<':
        escape = HTML_TAG_START.test(after);
        break;
      case '&':
        escape = ENTITY_REFERENCE.test(text.slice(index));
        break;
      case '~':
        // Strikethrough needs a doubled tilde; "~50 people" is left alone.
        escape = before === '~' || after === '~';
        break;
    }
    out += escape ? `\\${char}` : char;
  }
  return out;
}

/** Escapes one line of prose for use inside a Markdown block, keeping intended emphasis. */
export function escapeMarkdownInline(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(EMPHASIS_SPAN)) {
    const [whole, delimiter = '', inner = ''] = match;
    out += escapeCharacters(text.slice(last, match.index));
    out += `${delimiter}${escapeMarkdownInline(inner)}${delimiter}`;
    last = match.index + whole.length;
  }
  return out + escapeCharacters(text.slice(last));
}

/**
 * Markers that only mean something at the start of a block. `*`, `_` and backticks never reach
 * this point unescaped, so they need no rule here; nor do setext underlines, because every
 * paragraph is written with blank lines around it and so has no line above to underline.
 */
const BLOCK_START_MARKERS: readonly [RegExp, string][] = [
  [/^(#{1,6})(?=\s|$)/, '\\$1'], // ATX heading
  [/^>/, '\\>'], // block quote
  [/^([-+])(?=\s|$)/, '\\$1'], // bullet list item
  [/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2'], // ordered list item ("2026. A year" would become a list)
  [/^-(?=(?:\s*-){2,}\s*$)/, '\\-'], // thematic break
];

/** Escapes one paragraph of prose, written as a single line of its own. */
export function escapeMarkdownParagraph(text: string): string {
  return BLOCK_START_MARKERS.reduce((line, [pattern, replacement]) => line.replace(pattern, replacement), escapeMarkdownInline(text));
}

/** An ATX heading (`## Text`) whose text reads exactly as given. */
export function markdownHeading(level: number, text: string): string {
  // A trailing run of `#` would be taken as the heading's optional closing sequence.
  return `${'#'.repeat(level)} ${escapeMarkdownInline(text).replace(/#+$/, (run) => `\\${run}`)}`;
}
