import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Article } from '../domain/article.ts';
import { freezeArticle } from '../domain/article.ts';
import { ArticleBody } from '../domain/article-body.ts';
import type { Problem } from '../domain/problem.ts';
import type { Site } from '../domain/site.ts';
import type { YamlValue } from '../store/parse-yaml-strictly.ts';
import { resolveHttpUrl } from '../domain/resolve-http-url.ts';
import { stripXmlIllegalChars } from '../domain/strip-xml-illegal-chars.ts';
import { MAX_SLUG_LENGTH, boundSlug, toSlug } from '../domain/to-slug.ts';
import { isLanguageTag } from '../domain/language.ts';
import { deriveArticleId } from './derive-article-id.ts';
import { deriveSummary } from './derive-summary.ts';
import type { FieldProblem } from './field-values.ts';
import { cleanInlineText, scalarText, showValue } from './field-values.ts';
import { hashArticle } from './hash-article.ts';
import { matchCategories } from './match-categories.ts';
import { parseAuthors } from './parse-authors.ts';
import { parseFrontMatter } from './parse-front-matter.ts';
import { parseOffsetDate } from './parse-offset-date.ts';
import { parseTags } from './parse-tags.ts';
import { renderMarkdown } from './render-markdown.ts';
import { resolveLeadImage } from './resolve-lead-image.ts';
import { sanitiseArticleHtml } from './sanitise-article-html.ts';

export interface ArticleFile {
  /** Relative to the store, forward slashes: "world/pakistan-diplomacy.md". */
  readonly sourcePath: string;
  /** How the file is named in problems: "content/world/pakistan-diplomacy.md". */
  readonly displayPath: string;
  /** As the store reader returns it: UTF-8, no BOM, LF line endings. */
  readonly text: string;
}

export type ParseArticleResult = { readonly ok: true; readonly article: Article } | { readonly ok: false; readonly problems: readonly Problem[] };

export const MAX_TITLE_LENGTH = 500;
const DATE_EXAMPLE = '2026-11-23T09:00:00+05:00';

/**
 * Turns one article file into an Article, or into every problem found in it (all at once, so
 * the newsroom can fix the file in one pass). Pure: the same file and site give the same result.
 */
export function parseArticle(file: ArticleFile, site: Site): ParseArticleResult {
  const fail = (problems: readonly FieldProblem[] | string): ParseArticleResult => ({
    ok: false,
    problems:
      typeof problems === 'string'
        ? [{ subject: file.displayPath, message: problems }]
        : problems.map((p) => ({ subject: file.displayPath, field: p.field, message: p.message })),
  });

  // Stripped before parsing too, so that a stray control character is removed rather than
  // making the YAML invalid; fields are cleaned again below for what escapes and entities produce.
  const split = parseFrontMatter(stripXmlIllegalChars(file.text));
  if (!split.ok) return fail(split.message);
  const fields = split.fields;
  const problems: FieldProblem[] = [];

  const title = readTitle(fields.title, problems);
  const categories = matchCategories(fields.category, fields.categories, site, problems);
  const published = readDate('published', fields.published, problems);
  const updated = fields.updated === undefined || fields.updated === null ? published : readDate('updated', fields.updated, problems);
  if (published !== undefined && updated !== undefined && updated < published) {
    problems.push({
      field: 'updated',
      message: `updated ${showValue(fields.updated ?? null)} is before published ${showValue(fields.published ?? null)}: an article cannot be updated before it is published; fix one of the two`,
    });
  }
  const id = readId(fields.id, file.sourcePath, problems);
  const authors = parseAuthors(fields.author, fields.authors, site.baseUrl, problems);
  const tags = parseTags(fields.tags, problems);
  const image = resolveLeadImage(fields.image, site.baseUrl, problems);
  const url = readArticleUrl(fields.url, problems);
  const draft = readDraft(fields.draft, problems);
  const givenSummary = readSummary(fields.summary, problems);
  const givenSlug = readSlug(fields.slug, problems);
  const retracted = fields.retracted === undefined || fields.retracted === null ? undefined : readDate('retracted', fields.retracted, problems);
  const retractionNote = readNote('retractionNote', fields.retractionNote, problems);
  if (retractionNote !== undefined && (fields.retracted === undefined || fields.retracted === null)) {
    problems.push({
      field: 'retractionNote',
      message: `retractionNote is set but retracted is not: add the moment of the retraction, e.g. "retracted: ${DATE_EXAMPLE}", or remove the note`,
    });
  }
  if (retracted !== undefined && published !== undefined && retracted < published) {
    problems.push({
      field: 'retracted',
      message: `retracted ${showValue(fields.retracted ?? null)} is before published ${showValue(fields.published ?? null)}: an article cannot be retracted before it is published; fix one of the two`,
    });
  }
  const correction = readNote('correction', fields.correction, problems);
  const ownLanguage = readLanguage(fields.language, problems);

  if (problems.length > 0 || title === undefined || published === undefined || updated === undefined || id === undefined) {
    return fail(problems);
  }

  const slug = givenSlug ?? fallbackSlug(file.sourcePath, title, id);
  const body = renderMarkdown(split.body);
  const contentHtml = sanitiseArticleHtml(body.html, { baseUrl: site.baseUrl, ...(url === undefined ? {} : { publisherPageUrl: url }) }).trim();
  const summary = givenSummary ?? cleanInlineText(deriveSummary(body.paragraphs));
  const language = resolveLanguage(ownLanguage, categories[0]?.slug, site);

  const fieldsShown: Omit<Article, 'contentHash'> = {
    id,
    sourcePath: file.sourcePath,
    slug,
    title,
    summary,
    body: ArticleBody.fromHtml(contentHtml),
    categories: Object.freeze(categories),
    tags: Object.freeze(tags),
    authors: Object.freeze(authors),
    published,
    updated,
    draft,
    ...(image === undefined ? {} : { image }),
    ...(url === undefined ? {} : { url }),
    ...(retracted === undefined ? {} : { retracted }),
    ...(retractionNote === undefined ? {} : { retractionNote }),
    ...(correction === undefined ? {} : { correction }),
    ...(language === undefined ? {} : { language }),
  };
  return { ok: true, article: freezeArticle({ ...fieldsShown, contentHash: hashArticle(fieldsShown) }) };
}

function readTitle(value: YamlValue | undefined, problems: FieldProblem[]): string | undefined {
  if (value === undefined || value === null) {
    problems.push({ field: 'title', message: 'title is missing: add e.g. "title: Floods close the coast road"' });
    return undefined;
  }
  const text = scalarText(value);
  if (text === undefined) {
    problems.push({ field: 'title', message: `title ${showValue(value)} must be text: write the headline, in quotes if it contains ": "` });
    return undefined;
  }
  const title = cleanInlineText(text);
  if (title === '') {
    problems.push({ field: 'title', message: 'title is empty: write the headline' });
    return undefined;
  }
  const length = [...title].length;
  if (length > MAX_TITLE_LENGTH) {
    problems.push({ field: 'title', message: `title is ${length} characters long: shorten it to at most ${MAX_TITLE_LENGTH}` });
    return undefined;
  }
  return title;
}

function readDate(field: 'published' | 'updated' | 'retracted', value: YamlValue | undefined, problems: FieldProblem[]): number | undefined {
  if (value === undefined || value === null) {
    problems.push({ field, message: `${field} is missing: add the time with its UTC offset, e.g. "${field}: ${DATE_EXAMPLE}"` });
    return undefined;
  }
  const text = typeof value === 'string' ? value : undefined;
  const parsed = text === undefined ? undefined : parseOffsetDate(text);
  if (parsed?.ok) return parsed.epochMs;
  problems.push({
    field,
    message:
      parsed?.reason === 'no-offset'
        ? `${field} ${showValue(value)} has no UTC offset, so its moment is ambiguous: add Z for UTC or the newsroom's offset (e.g. ${DATE_EXAMPLE})`
        : `${field} ${showValue(value)} is not an ISO 8601 date with offset (e.g. ${DATE_EXAMPLE})`,
  });
  return undefined;
}

/** A plain-text note readers are shown (a retraction note, a correction): one paragraph of text. */
function readNote(field: 'retractionNote' | 'correction', value: YamlValue | undefined, problems: FieldProblem[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = scalarText(value);
  const note = text === undefined ? undefined : cleanInlineText(text);
  if (note === undefined || note === '') {
    const what = field === 'correction' ? 'what was corrected, e.g. "correction: An earlier version misstated the date of the vote."' : 'why the article was retracted';
    problems.push({ field, message: `${field} ${showValue(value)} must be plain text: write ${what}, or remove the field` });
    return undefined;
  }
  return note;
}

function readLanguage(value: YamlValue | undefined, problems: FieldProblem[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = scalarText(value);
  const tag = text === undefined ? '' : cleanInlineText(text);
  if (!isLanguageTag(tag)) {
    problems.push({
      field: 'language',
      message: `language ${showValue(value)} is not a BCP 47 language tag: write it like ar, ar-EG or en-GB, or remove it to use the category's language`,
    });
    return undefined;
  }
  return tag;
}

/**
 * The article's own language, else its primary category's, else the site's; returned only when
 * it is not the site's (Article.language), so an article in the site's language is unchanged.
 */
function resolveLanguage(own: string | undefined, primarySlug: string | undefined, site: Site): string | undefined {
  const language = own ?? site.categories.find((category) => category.slug === primarySlug)?.language ?? site.language;
  return language.toLowerCase() === site.language.toLowerCase() ? undefined : language;
}

function readId(value: YamlValue | undefined, sourcePath: string, problems: FieldProblem[]): string | undefined {
  if (value === undefined || value === null) return deriveArticleId(sourcePath);
  const text = scalarText(value);
  const id = text === undefined ? '' : stripXmlIllegalChars(text).trim();
  if (id === '') {
    problems.push({
      field: 'id',
      message: `id ${showValue(value)} is not usable: set a permanent text or number id, or remove the field to use the file path`,
    });
    return undefined;
  }
  return id;
}

function readArticleUrl(value: YamlValue | undefined, problems: FieldProblem[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = scalarText(value);
  const url = text === undefined ? undefined : resolveHttpUrl(cleanInlineText(text));
  if (url === undefined) {
    problems.push({
      field: 'url',
      message: `url ${showValue(value)} is not an absolute http(s) URL: write the article's address on your site, e.g. https://news.example.com/world/story, or remove the field`,
    });
  }
  return url;
}

function readDraft(value: YamlValue | undefined, problems: FieldProblem[]): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  problems.push({ field: 'draft', message: `draft ${showValue(value)} must be true or false` });
  return false;
}

function readSummary(value: YamlValue | undefined, problems: FieldProblem[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = scalarText(value);
  if (text === undefined) {
    problems.push({ field: 'summary', message: `summary ${showValue(value)} must be plain text, or remove it to use the first paragraph` });
    return undefined;
  }
  const summary = cleanInlineText(text);
  return summary === '' ? undefined : summary;
}

function readSlug(value: YamlValue | undefined, problems: FieldProblem[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = scalarText(value);
  const slug = text === undefined ? '' : toSlug(stripXmlIllegalChars(text));
  if (slug === '') {
    problems.push({ field: 'slug', message: `slug ${showValue(value)} gives an empty URL slug: use Latin letters, digits and dashes, or remove it to use the file name` });
    return undefined;
  }
  if (slug.length > MAX_SLUG_LENGTH) {
    problems.push({
      field: 'slug',
      message: `slug gives a URL slug of ${slug.length} characters, over the limit of ${MAX_SLUG_LENGTH}: shorten it (a few words), or remove it to use the file name`,
    });
    return undefined;
  }
  return slug;
}

/**
 * The page slug when the front matter sets none: the file name; if that has nothing to slug
 * (e.g. "中文.md"), the title; failing that, a stable token from the id.
 */
function fallbackSlug(sourcePath: string, title: string, id: string): string {
  const fromName = boundSlug(toSlug(path.posix.basename(sourcePath).replace(/\.(md|markdown)$/i, '')));
  if (fromName !== '') return fromName;
  const fromTitle = boundSlug(toSlug(title));
  if (fromTitle !== '') return fromTitle;
  return `article-${createHash('sha256').update(id).digest('hex').slice(0, 12)}`;
}
