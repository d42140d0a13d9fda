import { readFileSync } from 'node:fs';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { importScrapedText } from '../../src/importer/import-scraped-text.ts';
import type { ImportedArticle, ScrapedTextOptions } from '../../src/importer/import-scraped-text.ts';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/scraped/${name}`, import.meta.url), 'utf8');

const SEED = fixture('000_0373102ac7e4819d.txt');
const HARBOUR = fixture('made-up-harbour-ferries.txt');

const OPTIONS: ScrapedTextOptions = {
  id: '3f0c2d9e-8a51-4c1e-9b77-0d6c2f1a9e42',
  published: '2026-11-23T09:00:00Z',
  author: 'Misryoum Staff',
};

function imported(text: string, options: Partial<ScrapedTextOptions> = {}): ImportedArticle {
  const result = importScrapedText(text, { ...OPTIONS, ...options });
  if (!result.ok) throw new Error(`expected an import, got: ${result.message}`);
  return result.article;
}

/** Splits the file the way a reader of the store does: YAML between the first two `---` lines, then Markdown. */
function splitArticleFile(markdown: string): { fields: Record<string, unknown>; body: string } {
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(markdown);
  if (!match) throw new Error(`no front matter in:\n${markdown}`);
  return { fields: parseYaml(match[1] ?? '') as Record<string, unknown>, body: match[2] ?? '' };
}

function headingsOf(body: string): string[] {
  return body.split('\n').filter((line) => line.startsWith('#'));
}

const renderer = new MarkdownIt();
const html = (body: string): string => renderer.render(body);

describe('importScrapedText on the scraped seed article', () => {
  const article = imported(SEED);
  const { fields, body } = splitArticleFile(article.markdown);

  it('takes category, title and standfirst from the first three lines', () => {
    expect(article.category).toBe('General News');
    expect(article.categorySlug).toBe('general-news');
    expect(article.title).toBe('Pakistan’s High-Stakes Diplomacy: Can Iran Return to US Talks?');
    expect(article.slug).toBe('pakistans-high-stakes-diplomacy-can-iran-return-to-us-talks');
    expect(fields).toEqual({
      id: OPTIONS.id,
      title: 'Pakistan’s High-Stakes Diplomacy: Can Iran Return to US Talks?',
      category: 'General News',
      published: '2026-11-23T09:00:00Z',
      author: 'Misryoum Staff',
      summary:
        'As a crucial truce deadline nears, Pakistan is working against time to bring Iran and the US back to the negotiating table in Islamabad before the window for diplomacy closes.',
    });
  });

  it('does not repeat the header lines in the body', () => {
    expect(body).not.toContain('General News');
    expect(body).not.toContain('Can Iran Return');
    expect(body).not.toContain('As a crucial truce deadline nears');
    expect(body.trimStart()).toMatch(/^As Vice President JD Vance prepares/);
  });

  it('turns exactly the three section titles into level-2 headings', () => {
    expect(headingsOf(body)).toEqual([
      '## The Anatomy of the Standoff',
      '## Escalating Sea Tensions',
      '## The Burden of Mediation',
    ]);
    expect(article.headings).toEqual(['The Anatomy of the Standoff', 'Escalating Sea Tensions', 'The Burden of Mediation']);
    expect(html(body).match(/<h2>/g)).toHaveLength(3);
  });

  it('repairs every doubled period', () => {
    expect(body).not.toContain('..');
    expect(String(fields.summary)).not.toContain('..');
    expect(article.repairedPeriods).toBe(SEED.match(/\.\./g)?.length);
    expect(body).toContain('reconcile Iran and the United States. With the current truce');
  });

  it('removes the trailing page chrome and reports each removed line', () => {
    expect(article.removedChrome).toEqual([
      'Leave a Reply',
      'Your email address will not be published. Required fields are marked *',
      'Are you human? Please solve:Captcha',
      'Secret Link',
    ]);
    for (const chrome of ['Leave a Reply', 'Your email address', 'Required fields', 'Captcha', 'Secret Link']) {
      expect(article.markdown).not.toContain(chrome);
    }
    expect(body.trimEnd()).toMatch(/the rigid demands voiced by Washington\.$/);
  });

  it('keeps the existing emphasis and the typography', () => {
    expect(body).toContain('ship *Touska* by US naval forces');
    expect(html(body)).toContain('<em>Touska</em>');
    expect(body).toContain('counterparts—if any—remains');
  });
});

describe('importScrapedText on a differently shaped article', () => {
  const article = imported(HARBOUR, { author: undefined });
  const { fields, body } = splitArticleFile(article.markdown);
  const rendered = html(body);

  it('finds headings by shape and position, not by name', () => {
    expect(article.headings).toEqual(['What Passengers Can Expect', 'Money and Timing']);
    expect(headingsOf(body)).toEqual(['## What Passengers Can Expect', '## Money and Timing']);
  });

  it('leaves short lines that do not stand between paragraphs as paragraphs', () => {
    // A byline and a role on consecutive lines, and a sign-off at the very end.
    expect(rendered).toContain('<p>By Ana Ruiz</p>');
    expect(rendered).toContain('<p>Harbour Correspondent</p>');
    expect(rendered).toContain('<p>Reporting by the Wirefeed test desk</p>');
  });

  it('removes share buttons and comment prompts from the end', () => {
    expect(article.removedChrome).toEqual([
      'Share this article',
      'Facebook',
      'Twitter',
      'WhatsApp',
      '3 Comments',
      'Leave a comment',
      'Join the discussion',
    ]);
    expect(body).not.toMatch(/Share this article|Facebook|WhatsApp|Comments|Join the discussion/);
  });

  it('repairs doubled periods but keeps a real ellipsis and the abbreviation', () => {
    expect(String(fields.summary)).toBe(
      'Commuters have embraced the water route, and the operator says more boats are coming before winter.',
    );
    expect(body).toContain('designed in the U.S. The first two arrive in spring... if the shipyard');
    expect(body).toContain('a spokesperson said.\n');
    expect(body.replaceAll('...', '')).not.toContain('..');
  });

  it('escapes characters that would change the meaning, and only those', () => {
    expect(rendered).not.toContain('<h1>');
    expect(rendered).toContain('<p># of sailings per day will rise to 96, and fares go up 5 * 3 = 15 cents');
    // The scraped "<b>" was text on the page, so it must stay text, not become markup.
    expect(rendered).toContain('The &lt;b&gt;leaked&lt;/b&gt; plan says so [page 4](draft).');
    expect(rendered).not.toContain('<a ');
    expect(rendered).toContain('Critics called it <em>ambitious</em>, and the <em>Harbour Gazette</em> asked');
    expect(rendered).toContain('Peak sailings leave every 15 minutes; off-peak sailings every 30.');
  });

  it('omits the author when none is given', () => {
    expect(fields).not.toHaveProperty('author');
    expect(fields.category).toBe('Business');
  });
});

describe('importScrapedText, smaller cases', () => {
  const minimal = (lines: string[]): string => lines.join('\n\n');

  it('handles Windows line endings and invisible padding', () => {
    const article = imported(HARBOUR.replaceAll('\n', '\r\n').replace('Business', '\ufeffBusiness\u200b'));
    expect(article.category).toBe('Business');
    expect(article.headings).toEqual(['What Passengers Can Expect', 'Money and Timing']);
    expect(article.markdown).not.toContain('\r');
  });

  it('keeps zero-width joiners that are part of a word', () => {
    const persian = 'می\u200cخواهم';
    const article = imported(['Science', 'A Title', 'Standfirst.', `The word ${persian} stays whole.`].join('\n'));
    expect(article.markdown).toContain(`The word ${persian} stays whole.`);
  });

  it('only removes chrome at the end, never a paragraph that looks like it', () => {
    const text = minimal([
      'Science',
      'Comet Seen Over the Valley',
      'Observers were out late.',
      'Share',
      'Astronomers asked readers to share photographs of the comet.',
      'Facebook',
      'The comet returns in 2061.',
    ]);
    const article = imported(text);
    expect(article.removedChrome).toEqual([]);
    expect(article.markdown).toContain('\n\nShare\n\n');
    expect(article.markdown).toContain('\n\nFacebook\n\n');
  });

  it('keeps every question and ordinary sentence ending out of the headings', () => {
    const text = minimal([
      'Science',
      'Questions About the Comet',
      'Standfirst.',
      'First paragraph of the body.',
      'What comes next?',
      'Nobody knows yet.',
      'A short line, with a comma,',
      'Another paragraph follows.',
    ]);
    expect(imported(text).headings).toEqual([]);
  });

  it('writes titles that YAML readers would misread as quoted strings', () => {
    for (const title of ['2026-11-23', 'Yes', 'null', '#1: Read This', '- Not a list', 'Quote "this"']) {
      const article = imported(minimal(['Science', title, 'Standfirst.', 'Body.']));
      expect(splitArticleFile(article.markdown).fields.title).toBe(title);
      expect(parseYaml(article.markdown.split('---\n')[1] ?? '', { schema: 'yaml-1.1' })).toMatchObject({ title });
    }
  });

  it('spells the category as site.yaml declares it', () => {
    const article = imported(minimal(['general news', 'A Title', 'Standfirst.', 'Body.']), {
      declaredCategories: ['Technology', 'General News'],
    });
    expect(article.category).toBe('General News');
    expect(splitArticleFile(article.markdown).fields.category).toBe('General News');
  });

  it('reports text that is not a scraped article instead of guessing', () => {
    const tooShort = importScrapedText(minimal(['Science', 'Only a Title']), OPTIONS);
    expect(tooShort).toMatchObject({ ok: false, message: expect.stringContaining('found 2 non-empty line(s)') });
    const noCategory = importScrapedText(
      minimal(['This opening line is clearly a sentence, not a category.', 'Title', 'Standfirst.', 'Body.']),
      OPTIONS,
    );
    expect(noCategory).toMatchObject({ ok: false, message: expect.stringContaining('should be the category') });
    const onlyChrome = importScrapedText(minimal(['Science', 'Title', 'Standfirst.', 'Leave a Reply']), OPTIONS);
    expect(onlyChrome).toMatchObject({ ok: false, message: expect.stringContaining('after removing 1 line(s) of page chrome') });
  });

  it('refuses a publication time without an offset or an id that is empty', () => {
    expect(() => importScrapedText(SEED, { ...OPTIONS, published: '2026-11-23T09:00:00' })).toThrow(RangeError);
    expect(() => importScrapedText(SEED, { ...OPTIONS, published: '2026-02-30T09:00:00Z' })).toThrow(/not a valid publication time: wrong shape, or no such date/);
    expect(() => importScrapedText(SEED, { ...OPTIONS, id: ' ' })).toThrow(RangeError);
  });

  it('keeps the offset the caller chose', () => {
    const article = imported(SEED, { published: '2026-11-23T10:00:00+01:00' });
    expect(article.markdown).toContain('\npublished: 2026-11-23T10:00:00+01:00\n');
  });
});
