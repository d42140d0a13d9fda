import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/articles/parse-article.ts';
import type { Site } from '../../src/domain/site.ts';
import { SITE, articleText } from './sample-site.ts';

/** SITE with an Arabic category beside its English ones. */
const BILINGUAL: Site = Object.freeze({ ...SITE, categories: [...SITE.categories, { name: 'Egypt', slug: 'egypt', description: 'Egypt.', language: 'ar' }] });

function parse(front: Readonly<Record<string, string | undefined>>) {
  return parseArticle({ sourcePath: 'egypt/story.md', displayPath: 'content/egypt/story.md', text: articleText(front) }, BILINGUAL);
}

function languageOf(front: Readonly<Record<string, string | undefined>>): string | undefined {
  const result = parse(front);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.article.language;
}

describe('parseArticle: language', () => {
  it("takes the article's own language, else its primary category's, and leaves the site's unset", () => {
    expect(languageOf({ category: 'Egypt' })).toBe('ar');
    expect(languageOf({ category: 'Egypt', language: 'en' })).toBeUndefined();
    expect(languageOf({ category: 'Sport', language: 'ar-EG' })).toBe('ar-EG');
    expect(languageOf({ category: undefined, categories: '[Sport, Egypt]' })).toBeUndefined();
    expect(languageOf({ category: undefined, categories: '[Egypt, Sport]' })).toBe('ar');
  });

  it('names the file, the field and the fix for a tag that is not BCP 47', () => {
    const result = parse({ category: 'Egypt', language: 'Arabic language' });
    expect(result.ok ? [] : result.problems).toEqual([
      {
        subject: 'content/egypt/story.md',
        field: 'language',
        message: 'language "Arabic language" is not a BCP 47 language tag: write it like ar, ar-EG or en-GB, or remove it to use the category\'s language',
      },
    ]);
  });
});
