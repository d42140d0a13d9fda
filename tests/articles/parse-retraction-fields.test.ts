import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/articles/parse-article.ts';
import { SITE as sampleSite } from './sample-site.ts';

const file = (extra: string) => ({
  sourcePath: 'world/story.md',
  displayPath: 'content/world/story.md',
  text: `---\ntitle: A story\ncategory: Sport\npublished: 2026-11-20T09:00:00Z\n${extra}---\nBody.\n`,
});

const problemsOf = (extra: string) => {
  const result = parseArticle(file(extra), sampleSite);
  return result.ok ? [] : result.problems.map((problem) => `${problem.subject} ${problem.field ?? ''}: ${problem.message}`);
};

describe('retracted, retractionNote and correction in the front matter', () => {
  it('reads them', () => {
    const result = parseArticle(file('retracted: 2026-11-24T12:00:00+02:00\nretractionNote: "  The source   withdrew it. "\ncorrection: An earlier version misspelt the name.\n'), sampleSite);
    expect(result.ok && result.article).toMatchObject({
      retracted: Date.parse('2026-11-24T10:00:00Z'),
      retractionNote: 'The source withdrew it.',
      correction: 'An earlier version misspelt the name.',
    });
  });

  it('names the file, the field and the fix for each mistake', () => {
    expect(problemsOf('retracted: 2026-11-24T12:00:00\n')).toEqual([
      'content/world/story.md retracted: retracted "2026-11-24T12:00:00" has no UTC offset, so its moment is ambiguous: add Z for UTC or the newsroom\'s offset (e.g. 2026-11-23T09:00:00+05:00)',
    ]);
    expect(problemsOf('retracted: soon\n')).toEqual(['content/world/story.md retracted: retracted "soon" is not an ISO 8601 date with offset (e.g. 2026-11-23T09:00:00+05:00)']);
    expect(problemsOf('retractionNote: Withdrawn.\n')).toEqual([
      'content/world/story.md retractionNote: retractionNote is set but retracted is not: add the moment of the retraction, e.g. "retracted: 2026-11-23T09:00:00+05:00", or remove the note',
    ]);
    expect(problemsOf('correction: [a, b]\n')).toEqual([
      'content/world/story.md correction: correction a list must be plain text: write what was corrected, e.g. "correction: An earlier version misstated the date of the vote.", or remove the field',
    ]);
    expect(problemsOf('retracted: 2026-11-19T09:00:00Z\n')).toEqual([
      'content/world/story.md retracted: retracted "2026-11-19T09:00:00Z" is before published "2026-11-20T09:00:00Z": an article cannot be retracted before it is published; fix one of the two',
    ]);
  });
});
