import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/articles/parse-article.ts';
import { parseOffsetDate } from '../../src/articles/parse-offset-date.ts';
import { importScrapedText } from '../../src/importer/import-scraped-text.ts';
import { checkPublishedTime } from '../../src/importer/published-time.ts';
import { SAMPLE_SITE } from '../fixtures/articles/sample-site.ts';

const SCRAPED = ['World', 'Harbour Ferries Run Late', 'Fog held the morning boats.', 'The first ferry left an hour late.'].join('\n');

/**
 * Times at the edges of the article format: the separators, offsets and calendar limits where the
 * importer used to have a grammar of its own, and the shapes both must refuse.
 */
const TIMES = [
  '2026-11-23T09:00:00Z',
  '2026-11-23T09:00Z',
  '2026-11-23T09:00:00.123456789+05:30',
  '2026-11-23 09:00:00Z',
  '2026-11-23t09:00:00z',
  '2026-11-23T10:00:00+0100',
  '2026-11-23T09:00:00+15:00',
  '2026-11-23T09:00:00-23:59',
  '  2026-11-23T09:00:00Z  ',
  '2024-02-29T00:00:00Z',
  '2026-11-23T09:00:00+24:00',
  '2026-11-23T09:00:00+01:60',
  '2026-02-29T00:00:00Z',
  '2026-11-23T24:00:00Z',
  '2026-11-23T09:60:00Z',
  '2026-11-23T09:00:60Z',
  '2026-11-23T09:00:00',
  '2026-11-23',
  'yesterday',
  '',
];

describe('checkPublishedTime', () => {
  it('accepts exactly the publication times the article parser accepts', () => {
    for (const time of TIMES) {
      expect({ time, ok: checkPublishedTime(time).ok }).toEqual({ time, ok: parseOffsetDate(time).ok });
    }
  });

  it('writes every time it accepts so that the service reads back the same instant', () => {
    const accepted = TIMES.filter((time) => checkPublishedTime(time).ok);
    expect(accepted.length).toBeGreaterThan(0);
    for (const time of accepted) {
      const imported = importScrapedText(SCRAPED, { id: 'ferries-1', published: time });
      if (!imported.ok) throw new Error(`expected an import of ${time}, got: ${imported.message}`);
      const file = { sourcePath: 'world/ferries.md', displayPath: 'content/world/ferries.md', text: imported.article.markdown };
      const parsed = parseArticle(file, SAMPLE_SITE);
      if (!parsed.ok) throw new Error(`${JSON.stringify(time)} was written but not read back: ${parsed.problems.map((p) => p.message).join('; ')}`);
      const expected = parseOffsetDate(time);
      expect({ time, published: parsed.article.published }).toEqual({ time, published: expected.ok ? expected.epochMs : Number.NaN });
    }
  });

  it('says when the offset is missing', () => {
    expect(checkPublishedTime('2026-11-23T09:00:00')).toMatchObject({ ok: false, message: expect.stringContaining('no UTC offset') });
  });
});
