import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArticleIndex } from '../../src/articles/article-index.ts';
import { createArticleIndex } from '../../src/articles/article-index.ts';
import { parseArticle } from '../../src/articles/parse-article.ts';
import type { Article } from '../../src/domain/article.ts';
import { formatProblem } from '../../src/domain/problem.ts';
import { SAMPLE_JPEG, SAMPLE_PNG, pngOf } from '../fixtures/images/png.ts';
import { makeTempDir, removeTempDir, writeFiles } from '../store/temp-dir.ts';
import { SITE, articleText } from './sample-site.ts';

/** The front matter `image` mapping, and the dimensions the article loader reads from store images. */

function parse(image: string): ReturnType<typeof parseArticle> {
  return parseArticle({ sourcePath: 'world/x.md', displayPath: 'content/world/x.md', text: articleText({ image }) }, SITE);
}

function problems(image: string): string[] {
  const result = parse(image);
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe('front matter image', () => {
  it('is a URL or site path, as before', () => {
    const result = parse('/images/lead.jpg');
    expect(result.ok && result.article.image).toEqual({ url: 'https://news.example.com/images/lead.jpg', type: 'image/jpeg' });
  });

  it('is a mapping with url, width, height, alt, caption and credit', () => {
    const result = parse('\n  url: https://cdn.example.com/a/lead.png\n  width: 1600\n  height: 900\n  alt: "Boats at dawn: the harbour"\n  caption: Fishing boats  return.\n  credit: Jane Doe / Agency');
    expect(result.ok && result.article.image).toEqual({
      url: 'https://cdn.example.com/a/lead.png',
      type: 'image/png',
      width: 1600,
      height: 900,
      alt: 'Boats at dawn: the harbour',
      caption: 'Fishing boats return.',
      credit: 'Jane Doe / Agency',
    });
  });

  it('names the file, the field and the fix for each bad member, and refuses unknown keys with the list of known ones', () => {
    expect(problems('\n  url: /images/a.jpg\n  size: big')).toEqual([
      'content/world/x.md: image.size is not a lead-image field: use only url, width, height, alt, caption, credit',
    ]);
    expect(problems('\n  alt: No URL here')).toEqual(['content/world/x.md: image.url is missing: a lead image mapping needs the URL, e.g. "url: /images/lead.jpg"']);
    expect(problems('\n  url: /images/a.jpg\n  width: -3\n  height: "800px"')).toEqual([
      'content/world/x.md: image.width -3 must be a whole number of pixels from 1 to 100000, e.g. "width: 1200", or remove it',
      'content/world/x.md: image.height "800px" must be a whole number of pixels from 1 to 100000, e.g. "height: 800", or remove it',
    ]);
    expect(problems('\n  url: /images/a.jpg\n  caption: [a, b]')[0]).toMatch(/^content\/world\/x\.md: image\.caption a list must be plain text, e\.g\. .*, or remove it$/);
    expect(problems('\n  url: javascript:alert(1)')[0]).toMatch(/^content\/world\/x\.md: image\.url "javascript:alert\(1\)" is not an http\(s\) URL/);
    expect(problems('\n  url: /images/a.tiff')[0]).toMatch(/image\.url "\/images\/a\.tiff" does not end in a known image extension/);
  });
});

let root: string;
let store: string;
beforeEach(async () => {
  root = await makeTempDir();
  store = path.join(root, 'content');
  await fs.mkdir(store);
});
afterEach(async () => {
  await removeTempDir(root);
});

function indexOf(minImageWidth?: number): ArticleIndex {
  return createArticleIndex({ contentDir: store, site: SITE, maxArticleBytes: 64 * 1024, cwd: root, ...(minImageWidth === undefined ? {} : { minImageWidth }) });
}

async function load(image: string, files: Readonly<Record<string, string | Buffer>> = {}, minImageWidth?: number): Promise<{ article: Article | undefined; warnings: string[]; rejected: string[] }> {
  await writeFiles(store, { 'world/x.md': articleText({ image }), ...files });
  const { set } = await indexOf(minImageWidth).refresh();
  return { article: set.articles[0], warnings: set.warnings.map(formatProblem), rejected: set.problems.map(formatProblem) };
}

describe('lead images in the store', () => {
  it('reads type, width, height and byte size from a real JPEG and a real PNG', async () => {
    const jpeg = await fs.readFile(SAMPLE_JPEG);
    const png = await fs.readFile(SAMPLE_PNG);
    const first = await load('/images/night-sky.jpg', { 'images/night-sky.jpg': jpeg });
    expect(first.article?.image).toMatchObject({ url: 'https://news.example.com/images/night-sky.jpg', type: 'image/jpeg', width: 1200, height: 800, length: jpeg.length });
    expect(first.warnings).toEqual([]);
    const second = await load('\n  url: /images/charts/star-chart.png\n  alt: A chart', { 'images/charts/star-chart.png': png });
    expect(second.article?.image).toEqual({ url: 'https://news.example.com/images/charts/star-chart.png', type: 'image/png', width: 960, height: 640, length: png.length, alt: 'A chart' });
  });

  it('reports a truncated, a missing and a mis-named image with the article and the image path, and publishes the article without the size', async () => {
    const jpeg = await fs.readFile(SAMPLE_JPEG);
    const truncated = await load('/images/cut.jpg', { 'images/cut.jpg': jpeg.subarray(0, 60) });
    expect(truncated.rejected).toEqual([]);
    expect(truncated.article?.image).toEqual({ url: 'https://news.example.com/images/cut.jpg', type: 'image/jpeg', length: 60 });
    expect(truncated.warnings).toEqual([
      'content/world/x.md: lead image content/images/cut.jpg cannot be read as an image (no complete image header in its first 60 bytes): replace it with a valid JPEG, PNG, GIF or WebP file',
    ]);

    await fs.rm(path.join(store, 'images'), { recursive: true });
    const missing = await load('\n  url: /images/none.jpg\n  width: 1000\n  height: 500');
    expect(missing.article?.image).toEqual({ url: 'https://news.example.com/images/none.jpg', type: 'image/jpeg', width: 1000, height: 500 });
    expect(missing.warnings).toEqual([
      'content/world/x.md: lead image content/images/none.jpg does not exist in the store: add the file under content/images/ or fix the path; the article is published without the image\'s size',
    ]);

    const misnamed = await load('/images/chart.jpg', { 'images/chart.jpg': await fs.readFile(SAMPLE_PNG) });
    expect(misnamed.article?.image?.type).toBe('image/png');
    expect(misnamed.warnings).toEqual(['content/world/x.md: lead image content/images/chart.jpg is image/png but named like image/jpeg: rename it with the extension of its real type, so that it is served as what it is']);
  });

  it('lets the file win over declared dimensions and reports the disagreement', async () => {
    const { article, warnings } = await load('\n  url: /images/n.jpg\n  width: 1600\n  height: 800', { 'images/n.jpg': await fs.readFile(SAMPLE_JPEG) });
    expect(article?.image).toMatchObject({ width: 1200, height: 800 });
    expect(warnings).toEqual(['content/world/x.md: lead image content/images/n.jpg is 1200x800 pixels but the front matter declares width 1600: remove width and height (they are read from the file) or correct them']);
  });

  it('reports an image narrower than MIN_IMAGE_WIDTH with its size, and keeps it', async () => {
    const narrow = await load('/images/small.png', { 'images/small.png': pngOf(300, 200) });
    expect(narrow.article?.image).toMatchObject({ width: 300, height: 200 });
    expect(narrow.warnings).toEqual(['content/world/x.md: lead image content/images/small.png is 300x200 pixels, narrower than the 720 pixels partners ask for (MIN_IMAGE_WIDTH): use a larger rendition']);
    expect((await load('/images/small.png', {}, 200)).warnings).toEqual([]);
    // Declared sizes of an image elsewhere are checked too.
    expect((await load('\n  url: https://cdn.example.com/t.jpg\n  width: 400')).warnings).toEqual([
      'content/world/x.md: lead image https://cdn.example.com/t.jpg is 400 pixels wide, narrower than the 720 pixels partners ask for (MIN_IMAGE_WIDTH): use a larger rendition',
    ]);
  });

  it('refuses an image linked from outside the store or hidden, as a warning', async () => {
    const outside = path.join(root, 'secret.png');
    await fs.writeFile(outside, pngOf(800, 600));
    await fs.mkdir(path.join(store, 'images'), { recursive: true });
    await fs.symlink(outside, path.join(store, 'images', 'linked.png'));
    const linked = await load('/images/linked.png');
    expect(linked.article?.image).toEqual({ url: 'https://news.example.com/images/linked.png', type: 'image/png' });
    expect(linked.warnings[0]).toMatch(/^content\/world\/x\.md: lead image content\/images\/linked\.png is a symbolic link to a file outside content\/images\//);
    const hidden = await load('/images/.hidden.png', { 'images/.hidden.png': pngOf(800, 600) });
    expect(hidden.article?.image?.width).toBeUndefined();
    expect(hidden.warnings[0]).toMatch(/content\/images\/\.hidden\.png is not under images\/, or has a hidden or ignored name/);
  });

  it('measures again when the image changes, for the articles that show it', async () => {
    await writeFiles(store, { 'world/x.md': articleText({ image: '/images/lead.png' }), 'images/lead.png': pngOf(300, 200) });
    const index = indexOf();
    expect((await index.refresh()).set.warnings).toHaveLength(1);
    await writeFiles(store, { 'images/lead.png': pngOf(1200, 630) });
    const { set, changes } = await index.refresh({ kind: 'paths', paths: ['images/lead.png'] });
    expect(set.warnings).toEqual([]);
    expect(set.articles[0]?.image).toMatchObject({ width: 1200, height: 630 });
    expect(changes.map((change) => change.id)).toEqual([set.articles[0]?.id]);
  });

  it('does not take images for articles: the store listing ignores them', async () => {
    await writeFiles(store, { 'images/a.png': pngOf(10, 10), 'images/notes.txt': 'x', 'world/x.md': articleText() });
    const { set } = await indexOf().refresh();
    expect(set.articles).toHaveLength(1);
    expect(set.problems).toEqual([]);
  });
});
