import type { Category } from '../domain/article.ts';
import type { DeclaredCategory, Site } from '../domain/site.ts';
import type { YamlValue } from '../store/parse-yaml-strictly.ts';
import { toSlug } from '../domain/to-slug.ts';
import type { FieldProblem } from './field-values.ts';
import { scalarText, showValue } from './field-values.ts';

/**
 * `category` (one) and `categories` (a list, or one name), matched against the categories
 * site.yaml declares, by name or slug, ignoring case ("world", "World", "general-news").
 * `category` comes first and is the primary one; repeats are kept once. Unknown names are
 * problems, never new categories: a typo must not open a new feed.
 */
export function matchCategories(
  category: YamlValue | undefined,
  categories: YamlValue | undefined,
  site: Pick<Site, 'categories'>,
  problems: FieldProblem[],
): Category[] {
  const wanted: { field: string; value: YamlValue }[] = [];
  if (category !== undefined && category !== null) wanted.push({ field: 'category', value: category });
  if (categories !== undefined && categories !== null) {
    if (Array.isArray(categories)) {
      if (categories.length === 0 && wanted.length === 0) {
        problems.push({ field: 'categories', message: `categories is an empty list: name at least one of ${declared(site)}` });
      }
      for (const value of categories) wanted.push({ field: 'categories', value });
    } else {
      wanted.push({ field: 'categories', value: categories });
    }
  }
  if (wanted.length === 0 && !problems.some((p) => p.field === 'categories')) {
    problems.push({ field: 'category', message: `category is missing: add e.g. "category: ${site.categories[0]?.name ?? 'World'}" (declared: ${declared(site)})` });
    return [];
  }

  const result: Category[] = [];
  for (const { field, value } of wanted) {
    const text = scalarText(value);
    const match = text === undefined ? undefined : findDeclared(text, site);
    if (match === undefined) {
      problems.push({
        field,
        message:
          text === undefined
            ? `${field} ${showValue(value)} must be a category name: use one of ${declared(site)}`
            : `${field} ${showValue(value)} is not declared in site.yaml: use one of ${declared(site)}, or add it to site.yaml`,
      });
    } else if (!result.some((c) => c.slug === match.slug)) {
      result.push(categoryOf(match));
    }
  }
  return result;
}

/**
 * One frozen Category per declared category, shared by all its articles: 100,000 articles would
 * otherwise hold 100,000 copies of a few dozen values, each one more object for the collector.
 */
const sharedCategories = new WeakMap<DeclaredCategory, Category>();

function categoryOf(declaredCategory: DeclaredCategory): Category {
  let category = sharedCategories.get(declaredCategory);
  if (category === undefined) {
    category = Object.freeze({ name: declaredCategory.name, slug: declaredCategory.slug });
    sharedCategories.set(declaredCategory, category);
  }
  return category;
}

function findDeclared(text: string, site: Pick<Site, 'categories'>): DeclaredCategory | undefined {
  const lower = text.trim().toLowerCase();
  const slug = toSlug(text);
  return site.categories.find((c) => c.name.toLowerCase() === lower || c.slug === lower || (slug !== '' && c.slug === slug));
}

function declared(site: Pick<Site, 'categories'>): string {
  return site.categories.map((c) => c.name).join(', ');
}
