/**
 * The block that shows a correction above an article's body, in every feed format's content and
 * on the article page alike: readers see the same words wherever they read the story. The text
 * is escaped here (it is plain text from the front matter), so the block is safe HTML.
 */
const HTML_SPECIALS = /[&<>"]/g;
const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Plain text made safe as HTML text or a double-quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(HTML_SPECIALS, (special) => ESCAPES[special] ?? special);
}

export function correctionHtml(correction: string): string {
  return `<p class="correction"><strong>Correction:</strong> ${escapeHtml(correction)}</p>`;
}

/** The body HTML readers are shown: the correction, when there is one, then the body. */
export function withCorrection(bodyHtml: string, correction: string | undefined): string {
  return correction === undefined ? bodyHtml : `${correctionHtml(correction)}\n${bodyHtml}`;
}
