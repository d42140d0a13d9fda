import slugify from '@sindresorhus/slugify';

/**
 * Longest page or category slug. A slug is one path segment of OUTPUT_DIR (at most 255 bytes on
 * common file systems; slugs are ASCII, and a clash appends 9 characters) and part of URLs the
 * service must answer itself (its request-target limit is 2,048 characters).
 */
export const MAX_SLUG_LENGTH = 200;

/** Longest category name in site.yaml: a section title, shown in feed titles and pages. */
export const MAX_CATEGORY_NAME_LENGTH = 100;

/**
 * `slug` cut at its last dash within MAX_SLUG_LENGTH (or hard at the limit when there is none),
 * for slugs derived from a file name or a title, which the newsroom did not write as a slug.
 */
export function boundSlug(slug: string): string {
  if (slug.length <= MAX_SLUG_LENGTH) return slug;
  const cut = slug.slice(0, MAX_SLUG_LENGTH + 1);
  const dash = cut.lastIndexOf('-');
  return dash > 0 ? cut.slice(0, dash) : cut.slice(0, MAX_SLUG_LENGTH);
}

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
