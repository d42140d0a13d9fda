const TARGET_LENGTH = 300;

/**
 * A plain-text summary from the body's lead paragraphs: whole paragraphs while they fit in about
 * 300 characters, otherwise cut at the last word boundary before the limit and marked with "…".
 */
export function deriveSummary(paragraphs: readonly string[]): string {
  let text = '';
  for (const paragraph of paragraphs) {
    text = text === '' ? paragraph : `${text} ${paragraph}`;
    if (text.length >= TARGET_LENGTH) break;
  }
  if (text.length <= TARGET_LENGTH) return text;

  let cut = text.slice(0, TARGET_LENGTH + 1);
  const lastSpace = cut.lastIndexOf(' ');
  // A very long first word (a URL, say) has no boundary worth waiting for: cut it hard.
  cut = lastSpace >= TARGET_LENGTH / 2 ? cut.slice(0, lastSpace) : cut.slice(0, TARGET_LENGTH);
  // Never leave half of a surrogate pair (emoji, rare CJK) at the end.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.replace(/[\s,;:.\-–—]+$/, '')}…`;
}
