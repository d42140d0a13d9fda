import type { Site } from '../domain/site.ts';
import { escapeMarkup } from './markup.ts';
import type { FeedLink } from './subscriptions.ts';
import { homeUrl, opmlUrl } from '../domain/site-urls.ts';
import { isRightToLeft } from '../domain/language.ts';

export interface HtmlPage {
  readonly site: Site;
  /** For <title>; plain text. */
  readonly title: string;
  /** For the description meta tag; plain text, may be empty. */
  readonly description: string;
  readonly canonicalUrl: string;
  /** Announced to feed readers through autodiscovery, most specific first. */
  readonly feeds: readonly FeedLink[];
  /** The content of <main>, already HTML: callers escape what they put in it. */
  readonly mainHtml: string;
  /** BCP 47 tag the page is in when it is not the site's (an article or category in another language). */
  readonly language?: string;
}

/**
 * ` lang="…" dir="…"` for text in `language` inside an element whose language is `surrounding`,
 * empty when the two are the same: an Arabic headline on an English page, or the site's English
 * labels (header, footer, headings) on an Arabic page.
 */
export function languageAttributes(language: string | undefined, surrounding: string): string {
  if (language === undefined || language.toLowerCase() === surrounding.toLowerCase()) return '';
  return ` lang="${escapeMarkup(language)}" dir="${isRightToLeft(language) ? 'rtl' : 'ltr'}"`;
}

/** The root element: `dir="rtl"` only for right-to-left languages, so other pages keep their bytes. */
function htmlStartTag(language: string): string {
  return `<html lang="${escapeMarkup(language)}"${isRightToLeft(language) ? ' dir="rtl"' : ''}>`;
}

/**
 * Readable without a stylesheet; these few rules set a measure, follow the reader's colour scheme
 * and hide text meant only for screen readers.
 */
const STYLE =
  'body{font:1.0625rem/1.55 system-ui,sans-serif;max-width:42rem;margin:0 auto;padding:1rem;color-scheme:light dark}' +
  'img{max-width:100%;height:auto}' +
  '.feeds,.articles{padding-left:1.2rem}' +
  '.meta{color:GrayText}' +
  '.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}';

function autodiscovery(feed: FeedLink): string {
  return `<link rel="alternate" type="${escapeMarkup(feed.type)}" title="${escapeMarkup(feed.title)}" href="${escapeMarkup(feed.url)}"/>`;
}

/**
 * The frame every HTML page shares: head with autodiscovery, site header, main, footer with the
 * OPML. Written as polyglot markup (void elements closed, upper-case doctype), so the frame also
 * parses as XML: tools and tests can read it back with the XML parser the project already has.
 */
export function renderHtmlPage(page: HtmlPage): string {
  const { site } = page;
  const chrome = languageAttributes(site.language, page.language ?? site.language);
  const head = [
    '<meta charset="utf-8"/>',
    '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
    `<title>${escapeMarkup(page.title)}</title>`,
    ...(page.description ? [`<meta name="description" content="${escapeMarkup(page.description)}"/>`] : []),
    `<link rel="canonical" href="${escapeMarkup(page.canonicalUrl)}"/>`,
    ...page.feeds.map(autodiscovery),
    `<style>${STYLE}</style>`,
  ];
  return [
    '<!DOCTYPE html>',
    htmlStartTag(page.language ?? site.language),
    '<head>',
    ...head,
    '</head>',
    '<body>',
    `<header${chrome}><p><a href="${escapeMarkup(homeUrl(site))}">${escapeMarkup(site.title)}</a></p></header>`,
    '<main>',
    page.mainHtml,
    '</main>',
    `<footer${chrome}><p><a href="${escapeMarkup(opmlUrl(site))}" type="text/x-opml">All feeds as OPML</a></p></footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
