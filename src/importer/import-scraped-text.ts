import { Document, parse as parseYaml, Scalar } from 'yaml';
import { toSlug } from '../domain/to-slug.ts';
import { escapeMarkdownParagraph, markdownHeading } from './markdown-escape.ts';
import { checkPublishedTime } from './published-time.ts';

/**
 * Turns the text of a scraped news page into an article file for the store.
 *
 * The scraped shape, one block per line (blank lines between them are optional):
 *   category, title, standfirst, body paragraphs with short heading lines, page chrome.
 */

export interface ScrapedTextOptions {
  /** ISO 8601 date-time with an offset; written as given. */
  readonly published: string;
  readonly author?: string;
  /** Permanent identity of the article: a fresh `crypto.randomUUID()`, or the id of the file being replaced. */
  readonly id: string;
  /**
   * Category names declared in site.yaml. A scraped category with the same slug takes the declared
   * spelling, so "general news" files under "General News" instead of asking for a near-duplicate.
   */
  readonly declaredCategories?: readonly string[];
}

export interface ImportedArticle {
  /** The whole article file: YAML front matter, then the Markdown body. */
  readonly markdown: string;
  readonly category: string;
  readonly categorySlug: string;
  readonly title: string;
  /** File name without `.md`, from the title. */
  readonly slug: string;
  readonly summary: string;
  /** Lines recognised as section headings, in order, as they read (before Markdown escaping). */
  readonly headings: readonly string[];
  /** Page chrome removed from the end of the text, in the order it appeared. */
  readonly removedChrome: readonly string[];
  /** How many doubled sentence periods ("..") were reduced to one. */
  readonly repairedPeriods: number;
}

export type ScrapedTextImport =
  | { readonly ok: true; readonly article: ImportedArticle }
  | { readonly ok: false; readonly message: string };

/**
 * Lines that scraped pages carry after the article: comment forms, captchas and spam traps,
 * share buttons, newsletter prompts, "related" teasers. Each pattern must match a whole line,
 * and only a run of them at the very end of the text is removed, so a paragraph that merely
 * mentions comments or sharing is never touched.
 */
const PAGE_CHROME: readonly RegExp[] = [
  // Comment forms
  /^leave a (?:reply|comment)\b.{0,80}$/i,
  /^(?:post|add|write|submit) (?:a |your )?comments?$/i,
  /^cancel reply$/i,
  /^(?:\d+ )?comments?(?: \(\d+\))?:?$/i,
  /^no comments(?: yet)?\.?$/i,
  /^join the (?:discussion|conversation)\b.{0,60}$/i,
  /^your email address will not be published\b.{0,120}$/i,
  /^required fields are marked\b.{0,20}$/i,
  /^(?:name|e-?mail|website|comment)\s*\*?:?$/i,
  /^save my name,? e-?mail,? and website in this browser\b.{0,80}$/i,
  /^you must be (?:logged|signed) in to post a comment\b.{0,40}$/i,
  // Captchas and spam traps
  /^are you (?:a )?human\b.{0,80}$/i,
  /^.{0,60}\bcaptcha\b.{0,60}$/i,
  /^i'?m not a robot$/i,
  /^(?:secret|hidden|honeypot|trap) link$/i,
  /^this site uses akismet to reduce spam\b.{0,80}$/i,
  // Share and reaction buttons
  /^(?:click to )?(?:share|tweet|post|e-?mail|print)(?: this(?: article| story| post| page)?)?(?: (?:on|to|via) [\w .]{1,30})?(?: \(opens in new window\))?:?$/i,
  /^(?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest|threads|bluesky|messenger|tumblr|e-?mail|print|copy link)$/i,
  /^like this:?$/i,
  /^(?:like )?loading\.{3}$/i,
  // Newsletter prompts and teasers
  /^(?:subscribe|sign up)(?: (?:to|for))? (?:our|the) newsletter\b.{0,80}$/i,
  /^(?:advertisement|sponsored)$/i,
  /^(?:related(?: posts| articles| stories)?|you may also like|more stories|read more|read next)(?: \S+)?:?$/i,
  /^(?:previous|next) (?:article|post|story)$/i,
];

function isPageChrome(line: string): boolean {
  return PAGE_CHROME.some((pattern) => pattern.test(line));
}

/** Longer than this, a line is a paragraph however it ends. */
const MAX_HEADING_CHARS = 90;
const MAX_HEADING_WORDS = 12;
const MAX_CATEGORY_CHARS = 60;

/** Ends like a sentence or a lead-in, allowing for closing quotes, brackets and emphasis after it. */
const SENTENCE_END = /[.!?:;,…]["'”’)\]*_]*$/u;
/** Headings start like a title: a capital letter or a digit, possibly inside a quote or emphasis. */
const TITLE_START = /^["'“‘(*_]*[\p{Lu}\p{N}]/u;
/** Bullets and numbered items are list items, not headings, however short. */
const LIST_ITEM = /^(?:[-+*•–—]\s|\d{1,9}[.)]\s)/u;

/**
 * Whether a line, taken alone, has the shape of a heading: short, starting like a title, and not
 * ending like a sentence. Where it stands is checked separately by `findHeadings`. A chrome line
 * left mid-body ("Share", "Advertisement") has the shape too, but must not become a section title.
 */
function isHeadingShaped(line: string): boolean {
  return (
    line.length <= MAX_HEADING_CHARS &&
    line.split(/\s+/).length <= MAX_HEADING_WORDS &&
    TITLE_START.test(line) &&
    !SENTENCE_END.test(line) &&
    !LIST_ITEM.test(line) &&
    !isPageChrome(line)
  );
}

/**
 * A heading stands alone between paragraphs: the block before it (or the standfirst, for the
 * first block of the body) and the block after it are ordinary paragraphs. Two heading-shaped
 * lines in a row are a byline, a dateline or a caption rather than a heading, and a short last
 * line is a sign-off ("Reporting by ...").
 */
function findHeadings(body: readonly string[]): ReadonlySet<number> {
  const shaped = body.map(isHeadingShaped);
  const headings = new Set<number>();
  body.forEach((_, index) => {
    const previousIsParagraph = index === 0 || shaped[index - 1] === false;
    const nextIsParagraph = shaped[index + 1] === false;
    if (shaped[index] === true && previousIsParagraph && nextIsParagraph) headings.add(index);
  });
  return headings;
}

/**
 * A doubled period where a sentence ends: after a word, number, quote or bracket, and before a
 * space, the end of the line or closing punctuation. Three or more dots are an ellipsis and stay;
 * "../" and "1..5" are not sentence ends and stay too.
 */
const DOUBLED_PERIOD = /(?<=[^\s.])\.\.(?!\.)(?=$|[\s"'”’)\]*_])/gu;

function repairPeriods(line: string): { readonly text: string; readonly repaired: number } {
  let repaired = 0;
  const text = line.replace(DOUBLED_PERIOD, () => {
    repaired += 1;
    return '.';
  });
  return { text, repaired };
}

/**
 * Whitespace plus the invisible characters scrapers leave around lines (zero-width spaces, a BOM).
 * Only trimmed from the ends: inside a line, zero-width joiners are part of the spelling of
 * Persian, Urdu or Indic words and of emoji.
 */
const EDGE_PADDING = /^[\s\u200b-\u200d\u2060\ufeff]+|[\s\u200b-\u200d\u2060\ufeff]+$/gu;

function nonEmptyLines(text: string): string[] {
  return text
    .split(/\r\n?|\n/)
    .map((line) => line.replace(EDGE_PADDING, ''))
    .filter((line) => line !== '');
}

/**
 * A plain scalar that another YAML reader would not take for a string (gray-matter's js-yaml reads
 * a bare 2026-11-23 as a Date, YAML 1.1 reads "yes" as true) is written double-quoted instead.
 */
function stringNode(doc: Document, value: string): Scalar {
  const node = doc.createNode(value);
  let readsBackAsItself: boolean;
  try {
    readsBackAsItself = parseYaml(value, { schema: 'yaml-1.1' }) === value;
  } catch {
    readsBackAsItself = false;
  }
  if (!readsBackAsItself) node.type = Scalar.QUOTE_DOUBLE;
  return node;
}

interface FrontMatterFields {
  readonly id: string;
  readonly title: string;
  readonly category: string;
  readonly published: string;
  readonly author: string | undefined;
  readonly summary: string;
}

function frontMatter(fields: FrontMatterFields): string {
  const doc = new Document({});
  doc.set('id', stringNode(doc, fields.id));
  doc.set('title', stringNode(doc, fields.title));
  doc.set('category', stringNode(doc, fields.category));
  // Left plain on purpose: a reader that knows timestamps should see one.
  doc.set('published', fields.published);
  if (fields.author !== undefined) doc.set('author', stringNode(doc, fields.author));
  doc.set('summary', stringNode(doc, fields.summary));
  // lineWidth 0: a folded summary is valid YAML, but a one-line field is easier to edit and diff.
  return doc.toString({ lineWidth: 0 });
}

function matchDeclaredCategory(scraped: string, declared: readonly string[]): string {
  const slug = toSlug(scraped);
  return declared.find((name) => toSlug(name) === slug) ?? scraped;
}

export function importScrapedText(text: string, options: ScrapedTextOptions): ScrapedTextImport {
  const published = checkPublishedTime(options.published);
  // The caller chose these; a bad one is a programming error, not a problem with the scraped text.
  if (!published.ok) throw new RangeError(`importScrapedText: published ${published.message}`);
  if (options.id.trim() === '') throw new RangeError('importScrapedText: id must not be empty');

  const lines = nonEmptyLines(text);
  const removedChrome: string[] = [];
  // The first three lines are category, title and standfirst, whatever they say.
  while (lines.length > 3 && isPageChrome(lines.at(-1) ?? '')) {
    removedChrome.unshift(lines.pop() ?? '');
  }
  const [rawCategory, rawTitle, rawSummary, ...rawBody] = lines;
  if (rawCategory === undefined || rawTitle === undefined || rawSummary === undefined || rawBody.length === 0) {
    const afterChrome = removedChrome.length > 0 ? ` after removing ${removedChrome.length} line(s) of page chrome` : '';
    return {
      ok: false,
      message: `expected a category line, a title, a standfirst and at least one body paragraph, found ${lines.length} non-empty line(s)${afterChrome}`,
    };
  }
  if (rawCategory.length > MAX_CATEGORY_CHARS || SENTENCE_END.test(rawCategory)) {
    return {
      ok: false,
      message: `the first line should be the category (a short name such as "General News"), found "${rawCategory.slice(0, 80)}"`,
    };
  }

  let repairedPeriods = 0;
  const repair = (line: string): string => {
    const result = repairPeriods(line);
    repairedPeriods += result.repaired;
    return result.text;
  };
  const title = repair(rawTitle);
  const summary = repair(rawSummary);
  const body = rawBody.map(repair);

  const category = matchDeclaredCategory(rawCategory, options.declaredCategories ?? []);
  const categorySlug = toSlug(category);
  const slug = toSlug(title);
  if (categorySlug === '') return { ok: false, message: `cannot make a folder name from the category "${category}"` };
  if (slug === '') return { ok: false, message: `cannot make a file name from the title "${title}"` };

  const headingIndexes = findHeadings(body);
  const markdownBody = body
    .map((line, index) => (headingIndexes.has(index) ? markdownHeading(2, line) : escapeMarkdownParagraph(line)))
    .join('\n\n');
  const yaml = frontMatter({
    id: options.id,
    title,
    category,
    published: published.value,
    author: options.author?.trim() || undefined,
    summary,
  });

  return {
    ok: true,
    article: {
      markdown: `---\n${yaml}---\n\n${markdownBody}\n`,
      category,
      categorySlug,
      title,
      slug,
      summary,
      headings: body.filter((_, index) => headingIndexes.has(index)),
      removedChrome,
      repairedPeriods,
    },
  };
}
