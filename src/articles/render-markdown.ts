import type { Token } from 'markdown-it';
import MarkdownIt from 'markdown-it';

export interface RenderedMarkdown {
  /** Unsanitised HTML: raw HTML in the source passes through, so it must go through the sanitiser. */
  readonly html: string;
  /** Plain text of each top-level paragraph, in order; the material for a derived summary. */
  readonly paragraphs: readonly string[];
}

// Configured once and never mutated (no plugins are added later), so sharing it keeps no state
// between articles. `html: true` because scraped and hand-written articles embed figures and
// tables as HTML; the sanitiser decides what survives. No typographer: it would rewrite quotes
// in reporters' copy.
const markdown = new MarkdownIt({ html: true, linkify: true, typographer: false });

/** Parses once and returns both the HTML and the paragraph text, so the body is read a single time. */
export function renderMarkdown(source: string): RenderedMarkdown {
  const tokens = markdown.parse(source, {});
  const html = markdown.renderer.render(tokens, markdown.options, {});
  const paragraphs: string[] = [];
  tokens.forEach((token, index) => {
    const next = tokens[index + 1];
    // level 0: lead paragraphs, not quotes or list items.
    if (token.type === 'paragraph_open' && token.level === 0 && next?.type === 'inline') {
      const text = plainText(next.children ?? []);
      if (text !== '') paragraphs.push(text);
    }
  });
  return { html, paragraphs };
}

/** Inline HTML whose content is code or markup, never prose. */
const NON_TEXT_ELEMENT = /^<\s*(\/)?\s*(script|style|template|iframe|object|noscript|svg|math|textarea)\b/i;

function plainText(children: readonly Token[]): string {
  let text = '';
  let hiddenDepth = 0;
  for (const child of children) {
    if (child.type === 'html_inline') {
      const match = NON_TEXT_ELEMENT.exec(child.content);
      if (match) hiddenDepth = Math.max(0, hiddenDepth + (match[1] ? -1 : 1));
      continue;
    }
    if (hiddenDepth > 0) continue;
    if (child.type === 'text' || child.type === 'code_inline') text += child.content;
    else if (child.type === 'softbreak' || child.type === 'hardbreak') text += ' ';
  }
  return text.replace(/\s+/g, ' ').trim();
}
