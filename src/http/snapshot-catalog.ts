import type { FeedScope } from '../domain/documents.ts';
import { FEED_FORMATS, feedPath } from '../domain/documents.ts';
import { OPML_PATH } from '../domain/documents.ts';
import type { Snapshot } from '../publication/snapshot.ts';

/** What routing and health need to know about a snapshot beyond single lookups, derived once per snapshot. */
export interface SnapshotCatalog {
  /** Each category that has documents: its slug by the slug's lower-case form, for case-insensitive lookups. */
  readonly categorySlugs: ReadonlyMap<string, string>;
  /** Feeds the site declares that the snapshot does not have. */
  readonly missingFeeds: readonly string[];
  /** The body of every 404: the feeds this site does publish, with their URLs. */
  readonly notFoundBody: Buffer;
}

const CATEGORY_DOCUMENT = /^category\/([^/]+)\/[^/]+$/;

function describeNotFound(snapshot: Snapshot, categorySlugs: readonly string[]): string {
  const { site, documents } = snapshot;
  const names = new Map(site.categories.map((category) => [category.slug, category.name]));
  const feedsOf = (scope: FeedScope): string[] =>
    FEED_FORMATS.map((format) => feedPath(scope, format))
      .filter((path) => documents.has(path))
      .map((path) => `  ${site.baseUrl}/${path}`);
  const lines = ['Not found.', '', `${site.title} publishes these feeds:`, '', 'Everything:', ...feedsOf({ kind: 'site' })];
  for (const slug of categorySlugs) {
    lines.push('', `${names.get(slug) ?? slug} (category "${slug}"):`, ...feedsOf({ kind: 'category', slug }));
  }
  if (documents.has(OPML_PATH)) lines.push('', `All of them as OPML: ${site.baseUrl}/${OPML_PATH}`);
  return `${lines.join('\n')}\n`;
}

function catalogue(snapshot: Snapshot): SnapshotCatalog {
  const found = new Set<string>();
  for (const path of snapshot.documents.keys()) {
    const slug = CATEGORY_DOCUMENT.exec(path)?.[1];
    if (slug !== undefined) found.add(slug);
  }
  // Declared order first, as site.yaml lists them; any others after, alphabetically.
  const declared = snapshot.site.categories.map((category) => category.slug).filter((slug) => found.has(slug));
  const others = [...found].filter((slug) => !declared.includes(slug)).sort();
  const slugs = [...declared, ...others];
  const scopes: FeedScope[] = [{ kind: 'site' }, ...snapshot.site.categories.map((category) => ({ kind: 'category' as const, slug: category.slug }))];
  return Object.freeze({
    categorySlugs: new Map(slugs.map((slug) => [slug.toLowerCase(), slug])),
    missingFeeds: scopes.flatMap((scope) => FEED_FORMATS.map((format) => feedPath(scope, format))).filter((path) => !snapshot.documents.has(path)),
    notFoundBody: Buffer.from(describeNotFound(snapshot, slugs), 'utf8'),
  });
}

/** Returns a function from a snapshot to its catalogue, computed on first use and kept as long as the snapshot lives. */
export function createSnapshotCatalog(): (snapshot: Snapshot) => SnapshotCatalog {
  const known = new WeakMap<Snapshot, SnapshotCatalog>();
  return (snapshot) => {
    let catalog = known.get(snapshot);
    if (!catalog) {
      catalog = catalogue(snapshot);
      known.set(snapshot, catalog);
    }
    return catalog;
  };
}
