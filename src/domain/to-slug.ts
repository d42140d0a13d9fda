import slugify from '@sindresorhus/slugify';

/**
 * The one place that turns a name into a URL slug, so that site.yaml categories, category
 * references in articles and article page slugs all agree.
 *
 * `decamelize` is off because headline words such as "iOS" or "McDonald" would otherwise be
 * split ("i-os"). May return "" for names with no Latin-transliterable letters (e.g. "中文");
 * callers decide what that means.
 */
export function toSlug(name: string): string {
  return slugify(name, { decamelize: false });
}
