import type { Article } from '../domain/article.ts';
import { articleUri } from '../domain/article-identity.ts';
import type { Problem } from '../domain/problem.ts';
import type { Site } from '../domain/site.ts';
import { compareCodeUnits } from '../domain/compare-code-units.ts';
import { disambiguateSlugs } from './disambiguate-slugs.ts';
import type { LoadedArticle } from './resolve-duplicate-ids.ts';
import { resolveDuplicateIds } from './resolve-duplicate-ids.ts';

export interface ArticleSet {
  /** Every loaded article, drafts and future ones included; newest `published` first, ties by id. */
  readonly articles: readonly Article[];
  /** The same articles under each category slug (an article under every category it has), in the same order. */
  readonly byCategory: ReadonlyMap<string, readonly Article[]>;
  /** The same articles in slug order (code units), for lookups by binary search (see findBySlug). */
  readonly bySlug: readonly Article[];
  /** One entry per problem, for files (or folders) that could not be loaded; sorted by subject. */
  readonly problems: readonly Problem[];
  /** Problems in articles that are published all the same (their lead images); sorted by subject. */
  readonly warnings: readonly Problem[];
}

/** The article objects a patch took out of the set and put in (an unchanged re-read swaps the object too). */
export interface ArticlePatch {
  readonly removed: readonly Article[];
  readonly added: readonly Article[];
}

/** An article that appeared, disappeared, or changed in anything a feed shows (categories included). */
export interface ArticleChange {
  readonly id: string;
  readonly before?: Article;
  readonly after?: Article;
}

export type FileOutcome =
  /** `warnings`: what is wrong with the article without keeping it out (a missing or narrow lead image). */
  | { readonly kind: 'article'; readonly article: Article; readonly warnings?: readonly Problem[] }
  | { readonly kind: 'problems'; readonly problems: readonly Problem[] };

/** What the assembler needs of one store file: its parse result and how problems name it. */
export interface IndexedFile {
  readonly displayPath: string;
  readonly outcome: FileOutcome;
}

export interface AssembledSet {
  readonly set: ArticleSet;
  /** Ordered by id. */
  readonly changes: readonly ArticleChange[];
  /** Set when the result was patched from the previous set; absent after a rebuild. */
  readonly patch?: ArticlePatch;
}

export interface ArticleSetAssembler {
  /** The set from every file: resolves duplicate ids and slugs across the whole store. */
  rebuild(files: ReadonlyMap<string, IndexedFile>, listingProblems: readonly Problem[]): AssembledSet;
  /**
   * The same result as rebuild, from the previous set and the store paths whose outcome changed
   * (added, edited or removed from `files`), in time proportional to the change rather than to
   * the store. Undefined when the change touches a duplicate id or a shared slug: those are
   * settled across the store, so the caller rebuilds.
   */
  update(files: ReadonlyMap<string, IndexedFile>, changedPaths: ReadonlySet<string>, listingProblems: readonly Problem[]): AssembledSet | undefined;
}

const EMPTY_SET: ArticleSet = Object.freeze({ articles: Object.freeze([]), byCategory: new Map(), bySlug: Object.freeze([]), problems: Object.freeze([]), warnings: Object.freeze([]) });

/** The set's order: newest `published` first, ties by id in code-unit order. */
function compareSetOrder(a: Article, b: Article): number {
  return b.published - a.published || compareCodeUnits(a.id, b.id);
}

function compareSlugOrder(a: Article, b: Article): number {
  return compareCodeUnits(a.slug, b.slug);
}

/** Position of the first element that does not sort before `probe` (binary search). */
function lowerBound<T>(sorted: readonly T[], isBefore: (element: T) => boolean): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (isBefore(sorted[middle] as T)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** A copy of `sorted` without `removed` and with `added`, each placed by binary search; undefined if one to remove is missing. */
function patchSorted(sorted: readonly Article[], removed: readonly Article[], added: readonly Article[], compare: (a: Article, b: Article) => number): Article[] | undefined {
  // slice(), not a spread: spreading a frozen array goes through the iterator, which is slow for the whole store.
  const next = sorted.slice();
  for (const old of removed) {
    const position = lowerBound(next, (element) => compare(element, old) < 0);
    if (next[position] !== old) return undefined;
    next.splice(position, 1);
  }
  for (const article of added) next.splice(lowerBound(next, (element) => compare(element, article) < 0), 0, article);
  return next;
}

/** The article with this exact slug in a set, if any. */
export function findBySlug(set: ArticleSet, slug: string): Article | undefined {
  const found = set.bySlug[lowerBound(set.bySlug, (element) => compareCodeUnits(element.slug, slug) < 0)];
  return found?.slug === slug ? found : undefined;
}

function groupByCategory(sorted: readonly Article[]): Map<string, readonly Article[]> {
  const groups = new Map<string, Article[]>();
  for (const article of sorted) {
    for (const category of article.categories) {
      const group = groups.get(category.slug);
      if (group) group.push(article);
      else groups.set(category.slug, [article]);
    }
  }
  for (const group of groups.values()) Object.freeze(group);
  return groups;
}

function sortedProblems(parts: readonly (readonly Problem[])[]): readonly Problem[] {
  // Array.prototype.sort is stable, so problems of one subject keep their field order.
  const problems = parts.flat().sort((a, b) => compareCodeUnits(a.subject, b.subject));
  return Object.freeze(problems.map((problem) => (Object.isFrozen(problem) ? problem : Object.freeze(problem))));
}

function changesBetween(before: Iterable<Article>, after: Iterable<Article>): ArticleChange[] {
  const old = new Map<string, Article>();
  for (const article of before) old.set(article.id, article);
  const now = new Map<string, Article>();
  for (const article of after) now.set(article.id, article);
  const ids = [...new Set([...old.keys(), ...now.keys()])].sort(compareCodeUnits);
  const changes: ArticleChange[] = [];
  for (const id of ids) {
    const was = old.get(id);
    const is = now.get(id);
    if (was?.contentHash === is?.contentHash) continue;
    changes.push(Object.freeze({ id, ...(was ? { before: was } : {}), ...(is ? { after: is } : {}) }));
  }
  return changes;
}

/**
 * Turns the parse results of every store file into the article set. Keeps, between calls, who
 * claims which identity and which slugs are in use, so that after one edit the set is patched
 * (one removal and one insertion in the sorted list) instead of being rebuilt from 100,000 files.
 */
export function createArticleSetAssembler(site: Pick<Site, 'tagAuthority'>): ArticleSetAssembler {
  let current: ArticleSet = EMPTY_SET;
  /**
   * Store paths of the files whose article claims each identity, in code-unit order; a lone
   * claimant (nearly always) is kept as its string, not an array of one.
   */
  let claimants = new Map<string, string | readonly string[]>();
  const claimantsOf = (uri: string): readonly string[] => {
    const claim = claimants.get(uri);
    return claim === undefined ? [] : typeof claim === 'string' ? [claim] : claim;
  };
  let uriOfPath = new Map<string, string>();
  /** The published article for each identity, after slug disambiguation. */
  let finalByUri = new Map<string, Article>();
  /** How many published articles asked for each slug (before disambiguation). */
  let slugDemand = new Map<string, number>();
  /**
   * Slugs given out by disambiguation ("<slug>-<hash>"), and those it had to pass over because
   * another article already asked for them ("<slug>-<hash>" when "<slug>-<hash>-2" was given).
   */
  let givenSlugs = new Set<string>();
  let built = false;
  let fileProblems = new Map<string, readonly Problem[]>();
  let fileWarnings = new Map<string, readonly Problem[]>();
  let duplicateProblems: readonly Problem[] = [];

  function rebuild(files: ReadonlyMap<string, IndexedFile>, listingProblems: readonly Problem[]): AssembledSet {
    // Duplicate-id resolution lets the path that sorts first win, so it needs store-path order.
    const paths = [...files.keys()].sort(compareCodeUnits);
    const loaded: LoadedArticle[] = [];
    const nextFileProblems = new Map<string, readonly Problem[]>();
    const nextFileWarnings = new Map<string, readonly Problem[]>();
    const nextClaimants = new Map<string, string | readonly string[]>();
    const nextUriOfPath = new Map<string, string>();
    const articleOfPath = new Map<Article, string>();
    for (const storePath of paths) {
      const file = files.get(storePath) as IndexedFile;
      if (file.outcome.kind === 'problems') {
        nextFileProblems.set(storePath, file.outcome.problems);
        continue;
      }
      const article = file.outcome.article;
      if (file.outcome.warnings !== undefined) nextFileWarnings.set(storePath, file.outcome.warnings);
      loaded.push({ article, displayPath: file.displayPath });
      articleOfPath.set(article, storePath);
      const uri = articleUri(article, site);
      nextUriOfPath.set(storePath, uri);
      const claim = nextClaimants.get(uri);
      nextClaimants.set(uri, claim === undefined ? storePath : [...(typeof claim === 'string' ? [claim] : claim), storePath]);
    }
    const unique = resolveDuplicateIds(loaded, site);
    const finals = disambiguateSlugs(unique.winners);
    const nextFinalByUri = new Map<string, Article>();
    const nextSlugDemand = new Map<string, number>();
    const nextGivenSlugs = new Set<string>();
    unique.winners.forEach((winner, position) => {
      const final = finals[position] as Article;
      nextFinalByUri.set(articleUri(winner, site), final);
      nextSlugDemand.set(winner.slug, (nextSlugDemand.get(winner.slug) ?? 0) + 1);
      if (final.slug === winner.slug) return;
      nextGivenSlugs.add(final.slug);
      const passedOver = /^(.*-[0-9a-f]{8})-\d+$/.exec(final.slug)?.[1];
      if (passedOver !== undefined) nextGivenSlugs.add(passedOver);
    });
    const articles = Object.freeze([...finals].sort(compareSetOrder));
    const problems = sortedProblems([listingProblems, ...nextFileProblems.values(), unique.problems]);
    const bySlug = Object.freeze([...finals].sort(compareSlugOrder));
    const warnings = sortedProblems([...nextFileWarnings.values()]);
    const set: ArticleSet = Object.freeze({ articles, byCategory: groupByCategory(articles), bySlug, problems, warnings });
    const changes = changesBetween(current.articles, articles);
    claimants = nextClaimants;
    uriOfPath = nextUriOfPath;
    finalByUri = nextFinalByUri;
    slugDemand = nextSlugDemand;
    givenSlugs = nextGivenSlugs;
    fileProblems = nextFileProblems;
    fileWarnings = nextFileWarnings;
    duplicateProblems = unique.problems;
    current = set;
    built = true;
    return { set, changes };
  }

  function update(files: ReadonlyMap<string, IndexedFile>, changedPaths: ReadonlySet<string>, listingProblems: readonly Problem[]): AssembledSet | undefined {
    if (!built) return undefined;
    const newUriOfPath = new Map<string, string | undefined>();
    const affected = new Set<string>();
    for (const storePath of changedPaths) {
      const oldUri = uriOfPath.get(storePath);
      if (oldUri !== undefined) affected.add(oldUri);
      const outcome = files.get(storePath)?.outcome;
      const newUri = outcome?.kind === 'article' ? articleUri(outcome.article, site) : undefined;
      newUriOfPath.set(storePath, newUri);
      if (newUri !== undefined) affected.add(newUri);
    }

    // Settle each affected identity; anything shared (an id or a slug) is left to rebuild.
    const nextClaimant = new Map<string, string | undefined>();
    for (const uri of affected) {
      const claim = claimantsOf(uri).filter((storePath) => !changedPaths.has(storePath));
      for (const [storePath, newUri] of newUriOfPath) if (newUri === uri) claim.push(storePath);
      if (claim.length > 1 || claimantsOf(uri).length > 1) return undefined;
      nextClaimant.set(uri, claim[0]);
    }
    const demand = new Map<string, number>();
    const demandOf = (slug: string): number => demand.get(slug) ?? slugDemand.get(slug) ?? 0;
    const before: Article[] = [];
    for (const uri of affected) {
      const old = finalByUri.get(uri);
      if (old === undefined) continue;
      // A renamed article, or the one that kept a shared slug: its group is settled store-wide.
      if (givenSlugs.has(old.slug) || demandOf(old.slug) !== 1) return undefined;
      demand.set(old.slug, 0);
      before.push(old);
    }
    const after: Article[] = [];
    for (const uri of affected) {
      const storePath = nextClaimant.get(uri);
      if (storePath === undefined) continue;
      const outcome = files.get(storePath)?.outcome;
      if (outcome?.kind !== 'article') return undefined;
      const article = outcome.article;
      if (givenSlugs.has(article.slug) || demandOf(article.slug) !== 0) return undefined;
      demand.set(article.slug, 1);
      after.push(article);
    }

    const nextArticles = patchSorted(current.articles, before, after, compareSetOrder);
    const nextBySlug = patchSorted(current.bySlug, before, after, compareSlugOrder);
    if (nextArticles === undefined || nextBySlug === undefined) return undefined;
    const byCategory = new Map(current.byCategory);
    const touched = new Set([...before, ...after].flatMap((article) => article.categories.map((category) => category.slug)));
    for (const slug of touched) {
      const inCategory = (article: Article): boolean => article.categories.some((category) => category.slug === slug);
      const group = patchSorted(byCategory.get(slug) ?? [], before.filter(inCategory), after.filter(inCategory), compareSetOrder);
      if (group === undefined) return undefined;
      if (group.length === 0) byCategory.delete(slug);
      else byCategory.set(slug, Object.freeze(group));
    }

    for (const uri of affected) {
      const storePath = nextClaimant.get(uri);
      if (storePath === undefined) claimants.delete(uri);
      else claimants.set(uri, storePath);
    }
    for (const old of before) {
      finalByUri.delete(articleUri(old, site));
      slugDemand.delete(old.slug);
    }
    for (const article of after) {
      finalByUri.set(articleUri(article, site), article);
      slugDemand.set(article.slug, 1);
    }
    for (const [storePath, newUri] of newUriOfPath) {
      if (newUri === undefined) uriOfPath.delete(storePath);
      else uriOfPath.set(storePath, newUri);
      const outcome = files.get(storePath)?.outcome;
      if (outcome?.kind === 'problems') fileProblems.set(storePath, outcome.problems);
      else fileProblems.delete(storePath);
      if (outcome?.kind === 'article' && outcome.warnings !== undefined) fileWarnings.set(storePath, outcome.warnings);
      else fileWarnings.delete(storePath);
    }
    const problemPaths = [...fileProblems.keys()].sort(compareCodeUnits);
    const problems = sortedProblems([listingProblems, ...problemPaths.map((storePath) => fileProblems.get(storePath) ?? []), duplicateProblems]);
    const warnings = sortedProblems([...fileWarnings.keys()].sort(compareCodeUnits).map((storePath) => fileWarnings.get(storePath) ?? []));
    const set: ArticleSet = Object.freeze({ articles: Object.freeze(nextArticles), byCategory, bySlug: Object.freeze(nextBySlug), problems, warnings });
    current = set;
    return { set, changes: changesBetween(before, after), patch: Object.freeze({ removed: before, added: after }) };
  }

  return { rebuild, update };
}
