import type { Article } from './article.ts';
import type { FeedScope } from './documents.ts';
import type { Problem } from './problem.ts';
import type { Site } from './site.ts';

/*
 * Languages and writing direction (README "Languages and direction"): which language each feed is
 * in, which language each article is in, and which of them are written right to left.
 */

/** BCP 47, loosely: a 2-3 letter language and optional subtags ("en", "en-GB", "ar-EG", "zh-Hant-TW"). */
const LANGUAGE_TAG = /^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$/i;

export function isLanguageTag(value: string): boolean {
  return LANGUAGE_TAG.test(value);
}

/** The primary language subtag in lower case: "ar" for "ar-EG". */
export function primaryLanguage(tag: string): string {
  return (tag.split('-')[0] ?? '').toLowerCase();
}

/**
 * Whether two tags name the same language for the one-language-per-feed rule: the primary subtag
 * decides, so an "ar-EG" article belongs in an "ar" feed and "en-GB" in "en".
 */
export function sameLanguage(a: string, b: string): boolean {
  return primaryLanguage(a) === primaryLanguage(b);
}

/**
 * Scripts and languages written right to left. A fixed list rather than Intl.Locale's textInfo:
 * ICU's answer differs between Node versions and is wrong for some tags (Node 20 says "dv" and
 * "az-Arab" are left to right), and the feeds' bytes must not change with the runtime.
 */
const RTL_SCRIPTS = new Set(['adlm', 'arab', 'hebr', 'mand', 'nkoo', 'rohg', 'samr', 'syrc', 'thaa']);
const RTL_LANGUAGES = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'iw', 'ji', 'ks', 'nqo', 'pnb', 'prs', 'ps', 'sd', 'syr', 'ug', 'ur', 'yi']);

/** Whether text in this language is written right to left; a script subtag ("ku-Arab", "ar-Latn") decides when there is one. */
export function isRightToLeft(tag: string): boolean {
  const script = tag.split('-')[1];
  if (script !== undefined && /^[a-z]{4}$/i.test(script)) return RTL_SCRIPTS.has(script.toLowerCase());
  return RTL_LANGUAGES.has(primaryLanguage(tag));
}

/** The language a feed is in: its category's, as site.yaml declares it, else the site's. */
export function scopeLanguage(site: Pick<Site, 'language' | 'categories'>, scope: FeedScope): string {
  if (scope.kind === 'site') return site.language;
  return site.categories.find((category) => category.slug === scope.slug)?.language ?? site.language;
}

/** The language an article is in: `article.language` is only set when it is not the site's. */
export function articleLanguage(article: Pick<Article, 'language'>, site: Pick<Site, 'language'>): string {
  return article.language ?? site.language;
}

/**
 * The element that wraps an article's HTML in every feed, or undefined when it needs none: text
 * right to left, or in another language than the site's, says so itself (`dir` and `lang` on a
 * `<div>`, not CSS, which readers strip). Articles in the site's left-to-right language keep
 * their HTML as it is.
 */
export function contentWrapper(article: Pick<Article, 'language'>, site: Pick<Site, 'language'>): { readonly open: string; readonly close: string } | undefined {
  const language = articleLanguage(article, site);
  const rtl = isRightToLeft(language);
  if (!rtl && article.language === undefined) return undefined;
  return { open: `<div dir="${rtl ? 'rtl' : 'ltr'}" lang="${escapeAttribute(language)}">`, close: '</div>' };
}

/** `html` inside the article's contentWrapper, if it needs one. */
export function wrapContent(html: string, article: Pick<Article, 'language'>, site: Pick<Site, 'language'>): string {
  const wrapper = contentWrapper(article, site);
  return wrapper === undefined ? html : `${wrapper.open}${html}${wrapper.close}`;
}

/** A language tag passed isLanguageTag, so it holds no markup; this keeps the function safe for any string. */
function escapeAttribute(value: string): string {
  return value.replace(/[&<>"]/g, (special) => `&#${special.charCodeAt(0)};`);
}

/**
 * The warning for an article in a category feed of another language (MSN: "each feed URL ... must
 * contain content only in the language you associated with that feed"). The article is still
 * published there: a wrong tag must not make a story disappear.
 */
export function languageMismatch(article: Pick<Article, 'language' | 'sourcePath'>, site: Site, scope: FeedScope): Problem | undefined {
  const language = articleLanguage(article, site);
  const feedLanguage = scopeLanguage(site, scope);
  if (sameLanguage(language, feedLanguage)) return undefined;
  const where = scope.kind === 'site' ? 'the site feed' : `the feed of category "${site.categories.find((c) => c.slug === scope.slug)?.name ?? scope.slug}"`;
  return {
    subject: article.sourcePath,
    field: 'language',
    message:
      `is in "${language}" but is published in ${where}, which is in "${feedLanguage}" (partners such as MSN take one language per feed): ` +
      `it stays published there; move it to a category in "${language}", or set "language: ${feedLanguage}" in its front matter if it is written in that language`,
  };
}
