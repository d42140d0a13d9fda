import type { Site } from '../../src/domain/site.ts';

/** A site as loadSite would produce it, for testing the pure article parser without files. */
export const SITE: Site = Object.freeze({
  title: 'Wirefeed Sample News',
  description: 'Sample stories',
  language: 'en',
  baseUrl: 'https://news.example.com',
  tagAuthority: 'news.example.com,2026',
  defaultAuthor: { name: 'Wirefeed Newsroom' },
  categories: [
    { name: 'General News', slug: 'general-news', description: 'Politics and world affairs.' },
    { name: 'Sport', slug: 'sport', description: 'Results.' },
  ],
});

/** A valid article file; `front` lines replace or add fields, `body` replaces the body. */
export function articleText(front: Readonly<Record<string, string | undefined>> = {}, body = 'The first paragraph.\n'): string {
  const fields: Record<string, string | undefined> = {
    title: 'Floods close the coast road',
    category: 'General News',
    published: '2026-11-23T09:00:00+05:00',
    ...front,
  };
  const lines = Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${key}: ${value}`);
  return `---\n${lines.join('\n')}\n---\n${body}`;
}
