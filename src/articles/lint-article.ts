/**
 * The partner lint: what the aggregators' published rules reject in an article that Wirefeed
 * itself accepts (../shared/reviews/partner-requirements.md §1). Each finding names the file,
 * the rule and the fix; findings are warnings, never a reason to hold an article or a feed back.
 *
 * The lint keeper runs the rules only on the articles a build changed (the article patch), and
 * keeps every current finding: a finding goes when its article is edited clean or leaves the store.
 */
import type { ArticlePatch, ArticleSet } from './assemble-article-set.ts';
import type { Article } from '../domain/article.ts';
import { compareCodeUnits } from '../domain/compare-code-units.ts';
import type { Problem } from '../domain/problem.ts';

/** MSN Partner Hub: a title of more than 20 and at most 150 characters (unless a short title is supplied). */
export const TITLE_MIN_CHARACTERS = 20;
export const TITLE_MAX_CHARACTERS = 150;

export type LintRule = 'title-length' | 'title-markup' | 'image-url' | 'tracking-parameter';

/** A lint finding: a Problem whose field is `lint:<rule>`, so /healthz and the log show the rule. */
export interface LintFinding extends Problem {
  readonly field: `lint:${LintRule}`;
}

const TAG = /<\/?[a-z][^<>]*>|<!--/i;
const ENTITY = /&(?:[a-z][a-z0-9]*|#[0-9]+|#x[0-9a-f]+);/i;
/** Query parameters that only track the click (ad and newsletter platforms); partners want canonical links without them. */
const TRACKING_PARAMETER = /^(?:utm_.*|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|yclid|twclid|ttclid|igshid|mc_cid|mc_eid|_ga|_gl|_hsenc|_hsmi|mkt_tok|li_fat_id|s_cid|oly_enc_id|oly_anon_id|vero_id|rb_clickid)$/i;
const IMG_SRC = /<img\b[^>]*?\ssrc="([^"]*)"/gi;
const A_HREF = /<a\b[^>]*?\shref="([^"]*)"/gi;
/**
 * Quick rejections over the whole body, so that a clean article (most of them; the first build
 * lints the whole store) costs two scans instead of a URL parse per link: an image whose src does
 * not start with http(s)://, and a query parameter that starts like a tracking one.
 */
const MAYBE_BAD_IMAGE = /<img\b[^>]*?\ssrc="(?!https?:\/\/)/i;
const MAYBE_TRACKING = /[?&;](?:utm_|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|yclid|twclid|ttclid|igshid|mc_cid|mc_eid|_ga|_gl|_hsenc|_hsmi|mkt_tok|li_fat_id|s_cid|oly_|vero_id|rb_clickid)/i;

function decodeAttribute(value: string): string {
  return value.replace(/&(amp|quot|lt|gt|#39);/g, (_match, name: string) => ({ amp: '&', quot: '"', lt: '<', gt: '>', '#39': "'" })[name] ?? _match);
}

function finding(article: Article, rule: LintRule, message: string): LintFinding {
  return { subject: article.sourcePath, field: `lint:${rule}`, message };
}

function isAbsoluteHttp(url: string): boolean {
  if (!/^https?:\/\/./i.test(url)) return false;
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

function trackingParameters(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  return [...new Set([...parsed.searchParams.keys()].filter((name) => TRACKING_PARAMETER.test(name)))];
}

function shown(url: string): string {
  return JSON.stringify(url.length > 80 ? `${url.slice(0, 77)}...` : url);
}

/** Every finding for one article, in a fixed order: title, images, links. Pure. */
export function lintArticle(article: Article): LintFinding[] {
  const findings: LintFinding[] = [];
  const length = [...article.title].length;
  if (length < TITLE_MIN_CHARACTERS || length > TITLE_MAX_CHARACTERS) {
    findings.push(finding(article, 'title-length', `the title is ${length} characters: MSN takes ${TITLE_MIN_CHARACTERS} to ${TITLE_MAX_CHARACTERS}; ${length < TITLE_MIN_CHARACTERS ? 'write a fuller headline' : 'shorten the headline'}`));
  }
  if (TAG.test(article.title) || ENTITY.test(article.title)) {
    findings.push(finding(article, 'title-markup', 'the title holds HTML (a tag or an entity), which partners show as it is or strip: write it as plain text, e.g. "&" instead of "&amp;"'));
  }
  const html = article.body.html();
  const images = [
    ...(article.image === undefined ? [] : [{ where: 'the lead image', url: article.image.url }]),
    ...(MAYBE_BAD_IMAGE.test(html) ? [...html.matchAll(IMG_SRC)].map((match) => ({ where: 'an image in the body', url: decodeAttribute(match[1] ?? '') })) : []),
  ];
  for (const { where, url } of images) {
    if (!isAbsoluteHttp(url)) findings.push(finding(article, 'image-url', `${where} has the URL ${shown(url)}, which partners cannot fetch: give an absolute http(s) URL, like https://cdn.example.com/lead.jpg`));
  }
  const links = [
    ...(article.url === undefined ? [] : [{ where: 'the article url', url: article.url }]),
    ...(MAYBE_TRACKING.test(html) ? [...html.matchAll(A_HREF)].map((match) => ({ where: 'a link in the body', url: decodeAttribute(match[1] ?? '') })) : []),
  ];
  for (const { where, url } of links) {
    const names = trackingParameters(url);
    if (names.length > 0) findings.push(finding(article, 'tracking-parameter', `${where} ${shown(url)} carries the tracking parameter(s) ${names.join(', ')}: link the canonical address without them (SmartNews asks to strip UTM parameters)`));
  }
  return findings;
}

export interface LintUpdate {
  /** Every current finding, ordered by file, then as lintArticle gives them. */
  readonly findings: readonly LintFinding[];
  /** Source paths of the articles linted in this call: the patch's additions, or every article without a patch. */
  readonly linted: readonly string[];
}

export interface LintKeeper {
  /**
   * With the patch that made `set` from the previous call's set, only the articles it added are
   * linted; without one (a full re-assembly), only the article objects not linted before: an
   * unchanged file keeps its Article object across re-assemblies, and so its findings.
   */
  advance(set: ArticleSet, patch: ArticlePatch | undefined): LintUpdate;
}

const NO_FINDINGS: readonly LintFinding[] = Object.freeze([]);

export function createLintKeeper(): LintKeeper {
  /** Every article of the current set, with its findings (most have none). */
  let seen = new Map<Article, readonly LintFinding[]>();
  /** The articles of `seen` that have findings: what a build reports, without walking the store. */
  const flagged = new Map<Article, readonly LintFinding[]>();
  let known = false;
  return {
    advance(set, patch) {
      const linted: string[] = [];
      const lint = (article: Article): readonly LintFinding[] => {
        linted.push(article.sourcePath);
        const findings = lintArticle(article);
        if (findings.length === 0) return NO_FINDINGS;
        flagged.set(article, findings);
        return findings;
      };
      if (patch === undefined || !known) {
        const next = new Map<Article, readonly LintFinding[]>();
        for (const article of set.articles) next.set(article, seen.get(article) ?? lint(article));
        for (const article of flagged.keys()) if (!next.has(article)) flagged.delete(article);
        seen = next;
        known = true;
      } else {
        for (const article of patch.removed) {
          seen.delete(article);
          flagged.delete(article);
        }
        for (const article of patch.added) seen.set(article, lint(article));
      }
      const findings = [...flagged.values()].flat().sort((a, b) => compareCodeUnits(a.subject, b.subject));
      return { findings, linted };
    },
  };
}
