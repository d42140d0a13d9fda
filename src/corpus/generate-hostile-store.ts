import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { parse, stringify } from 'yaml';
import { corpusCategoryNames, corpusSiteYaml, generateCorpus } from './generate-corpus.ts';

/**
 * A healthy generated store with broken and malicious files mixed in, for reliability tests:
 * every kind of bad input a newsroom, a scraper or an attacker can put in the store, each with
 * what Wirefeed must make of it. Some hostile files are valid articles (right-to-left text,
 * every Unicode plane, entities and CDATA markers) and must come out intact, not be refused.
 * The same options give the same files, byte for byte.
 */
export interface HostileStoreOptions {
  readonly seed: number;
  /** Healthy articles from generateCorpus. */
  readonly healthyArticles: number;
  readonly categories: number;
  /** Healthy articles are dated before this moment, except a few embargoed ones. */
  readonly now: number;
  /** MAX_ARTICLE_BYTES the store will be read with: the oversized file is just over it. */
  readonly maxArticleBytes: number;
}

/** What the pipeline must make of one entry. */
export type HostileExpectation =
  /** Public: in the site feeds with exactly this title. `contentMarker` must survive into the item's HTML. */
  | { readonly outcome: 'published'; readonly title: string; readonly contentMarker?: string }
  /** A valid draft or embargoed article: loaded, in no feed. */
  | { readonly outcome: 'withheld' }
  /** Reported once, naming the file (and `field`, when there is one), with a reason matching `reason`. */
  | { readonly outcome: 'rejected'; readonly field?: string; readonly reason: RegExp };

export type HostileEntry = { readonly path: string; readonly what: string; readonly expect: HostileExpectation } & (
  | { readonly kind: 'file'; readonly bytes: Buffer }
  /** A symbolic link at `path`, pointing to `target` (relative to the link's folder, so it may leave the store). */
  | { readonly kind: 'link'; readonly target: string }
);

export interface HostileStore {
  readonly siteYaml: string;
  readonly categoryNames: readonly string[];
  /** Store-relative paths, forward slashes. */
  readonly entries: readonly HostileEntry[];
  /** Files beside the store (in `outside/` next to `content/`), which links point to and which must never be published. */
  readonly outside: readonly { readonly path: string; readonly text: string }[];
  /** A title only the outside files carry: if it appears in any feed, a link escaped the store. */
  readonly outsideTitle: string;
}

const HOSTILE = 'hostile';
const OUTSIDE_TITLE = 'Secret outside the store';

/** Every plane has a character here, including unassigned planes 4-13 and the private-use planes 15-16: all legal XML 1.0. */
const EVERY_PLANE = Array.from({ length: 17 }, (_, plane) => String.fromCodePoint(plane === 0 ? 0xe9 : plane * 0x10000 + 0x41)).join('');
const ALL_PLANES_TITLE = `Every plane: ${EVERY_PLANE} 𝄞 𠜎 😀 ﷺ`;
const RTL_TITLE = 'عاجل: الأمطار تغلق الطريق الساحلي — שלום עולם \u200f(123)\u200e \u202eevil.exe\u202c';
const ENTITY_TEXT = 'Tom &amp; Jerry &lt;b&gt; <b>bold</b> &#x26; &#0; &nbsp; &bogus; <![CDATA[ x ]]> ]]> <!-- c --> <?pi?> "q" \'a\'';
const TERMINATORS = ']]>'.repeat(150);

function frontMatter(fields: Record<string, unknown>): string {
  return `---\n${stringify(fields, { lineWidth: 0 })}---\n`;
}

function article(fields: Record<string, unknown>, body = 'A short body for a hostile test article.\n'): string {
  return `${frontMatter(fields)}${body}`;
}

/** YAML text written by hand where a serializer would quote away the hostility. */
function raw(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

function billionLaughs(): string {
  const lines = ['---', 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let level = 1; level <= 9; level += 1) {
    const previous = `*a${level - 1}`;
    lines.push(`a${level}: &a${level} [${Array.from({ length: 10 }, () => previous).join(',')}]`);
  }
  lines.push('title: *a9', 'category: World', 'published: 2026-01-01T00:00:00Z', '---', 'Boom.', '');
  return lines.join('\n');
}

export function generateHostileStore(options: HostileStoreOptions): HostileStore {
  const categoryNames = corpusCategoryNames(options.categories);
  const primary = categoryNames[0] ?? 'World';
  const published = new Date(options.now - 86_400_000).toISOString().replace('.000Z', 'Z');
  const rng = xoroshiro128plus(options.seed ^ 0x5eed);
  const entries: HostileEntry[] = [];
  const file = (name: string, what: string, bytes: Buffer, expect: HostileExpectation): void => {
    entries.push({ kind: 'file', path: `${HOSTILE}/${name}`, what, bytes, expect });
  };
  const valid = (overrides: Record<string, unknown>): Record<string, unknown> => ({ title: 'A hostile test article', category: primary, published, ...overrides });
  const rejected = (reason: RegExp, field?: string): HostileExpectation => ({ outcome: 'rejected', reason, ...(field === undefined ? {} : { field }) });

  for (const healthy of generateCorpus({ articles: options.healthyArticles, categories: options.categories, seed: options.seed, now: options.now })) {
    const fields = parse(healthy.text.split('\n---\n', 1)[0]?.replace(/^---\n/, '') ?? '') as { title: string; published: string; draft?: boolean };
    const isPublic = fields.draft !== true && Date.parse(fields.published) <= options.now;
    entries.push({
      kind: 'file',
      path: healthy.path,
      what: 'healthy generated article',
      bytes: raw(healthy.text),
      expect: isPublic ? { outcome: 'published', title: fields.title } : { outcome: 'withheld' },
    });
  }

  // Broken files, as editors and scrapers leave them.
  file('no-front-matter.md', 'no front matter', raw('Just a body, no fields at all.\n'), rejected(/has no front matter/));
  file('half-written.md', 'front matter cut off mid-write', raw(`---\ntitle: Half\ncategory: ${primary}\npubl`), rejected(/front matter is not closed/));
  file('invalid-yaml.md', 'invalid YAML', raw(`---\ntitle: [unclosed\ncategory: ${primary}\npublished: ${published}\n---\nBody.\n`), rejected(/not valid YAML/));
  file('duplicate-key.md', 'a field given twice', raw(`---\ntitle: One\ntitle: Two\ncategory: ${primary}\npublished: ${published}\n---\nBody.\n`), rejected(/not valid YAML/));
  file('front-matter-list.md', 'front matter that is a list', raw('---\n- title\n- category\n---\nBody.\n'), rejected(/must be a set of "field: value" lines/));
  file('non-yaml-engine.md', 'a JavaScript front matter engine', raw('---js\n{ title: require("child_process").execSync("id").toString() }\n---\nBody.\n'), rejected(/front matter must be YAML/));
  file('collection-key.md', 'a list used as a key', raw(`---\n? [a, b]\n: c\ntitle: Key\ncategory: ${primary}\npublished: ${published}\n---\nBody.\n`), rejected(/list or mapping cannot be used as a key/));
  file('missing-title.md', 'missing title', raw(article({ category: primary, published })), rejected(/title is missing/, 'title'));
  file('empty-title.md', 'empty title', raw(article(valid({ title: '' }))), rejected(/title is empty/, 'title'));
  file('blank-title.md', 'title of white space and control characters', raw(`---\ntitle: " \\t \\0 \\x01 "\ncategory: ${primary}\npublished: ${published}\n---\nBody.\n`), rejected(/title is empty/, 'title'));
  file('list-title.md', 'title that is a list', raw(article(valid({ title: ['a', 'b'] }))), rejected(/title a list must be text/, 'title'));
  file('missing-category.md', 'missing category', raw(article({ title: 'No category', published })), rejected(/category is missing/, 'category'));
  file('empty-category.md', 'empty category', raw(article({ title: 'Empty category', category: '', published })), rejected(/category "" is not declared in site\.yaml/, 'category'));
  file('empty-categories.md', 'empty list of categories', raw(article({ title: 'No categories', categories: [], published })), rejected(/categories is an empty list/, 'categories'));
  file('unknown-category.md', 'unknown category', raw(article({ title: 'Atlantis', categories: [primary, 'Atlantis'], published })), rejected(/"Atlantis" is not declared in site\.yaml/, 'categories'));
  file('missing-published.md', 'missing published', raw(article({ title: 'Undated', category: primary })), rejected(/published is missing/, 'published'));
  file('empty-published.md', 'empty published', raw(article(valid({ published: '' }))), rejected(/published "" is not an ISO 8601 date/, 'published'));
  file('published-yesterday.md', 'published in words', raw(article(valid({ published: 'yesterday' }))), rejected(/published "yesterday" is not an ISO 8601 date with offset/, 'published'));
  file('published-no-offset.md', 'published without UTC offset', raw(article(valid({ published: '2026-01-05T09:00:00' }))), rejected(/no UTC offset/, 'published'));
  file('published-february-30.md', 'a day that does not exist', raw(article(valid({ published: '2026-02-30T09:00:00Z' }))), rejected(/published "2026-02-30T09:00:00Z" is not an ISO 8601 date/, 'published'));
  file('updated-before-published.md', 'updated before published', raw(article(valid({ published: '2026-01-05T09:00:00Z', updated: '2026-01-04T09:00:00Z' }))), rejected(/is before published/, 'updated'));
  file('javascript-url.md', 'a javascript: article URL', raw(article(valid({ url: 'javascript:alert(document.cookie)' }))), rejected(/url "javascript:alert\(document\.cookie\)" is not an absolute http\(s\) URL/, 'url'));
  file('draft-not-boolean.md', 'draft that is not a boolean', raw(article(valid({ draft: 'maybe' }))), rejected(/draft "maybe" must be true or false/, 'draft'));

  // Bytes that are not Markdown text.
  file('latin-1.md', 'Latin-1, not UTF-8', Buffer.concat([raw(`---\ntitle: Caf`), Buffer.from([0xe9]), raw(`\ncategory: ${primary}\npublished: ${published}\n---\nBody.\n`)]), rejected(/not valid UTF-8/));
  const noise = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i % 97 === 0 ? 0 : uniformInt(rng, 0, 255))));
  file('binary.md', 'binary bytes with NULs', noise, rejected(/contains NUL bytes/));
  file('nul-in-text.md', 'one raw NUL byte in an otherwise valid article', Buffer.concat([raw(`---\ntitle: Null`), Buffer.from([0]), raw(`\ncategory: ${primary}\npublished: ${published}\n---\nBody.\n`)]), rejected(/contains NUL bytes/));
  file('utf-16.md', 'UTF-16 with its byte-order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(article(valid({ title: 'Sixteen bits' })), 'utf16le')]), rejected(/encoded as UTF-16/));
  file('empty.md', 'an empty file', Buffer.alloc(0), rejected(/is empty/));
  file('blank.md', 'only white space', raw(' \n\t\n\r\n  '), rejected(/is empty/));
  const padding = 'x'.repeat(options.maxArticleBytes);
  file('oversized.md', 'one byte per character over MAX_ARTICLE_BYTES', raw(article(valid({ title: 'Too big' }), padding)), rejected(/over the limit of \d+ bytes/));

  // Attacks on the parsers and on the size of what comes out.
  file('billion-laughs.md', 'YAML alias bomb', raw(billionLaughs()), rejected(/not valid YAML/));
  file('js-function-tag.md', 'YAML tag constructing a JavaScript function', raw(`---\ntitle: !!js/function "function () { return process.exit(1) }"\ncategory: ${primary}\npublished: ${published}\n---\nBody.\n`), rejected(/not valid YAML/));
  file('python-object-tag.md', 'YAML tag constructing a Python object', raw(`---\ntitle: !!python/object/apply:os.system ["rm -rf /"]\ncategory: ${primary}\npublished: ${published}\n---\nBody.\n`), rejected(/not valid YAML/));
  file('megabyte-title.md', 'a title of a million characters', raw(article(valid({ title: 'M'.repeat(1_000_000) }))), rejected(/title is 1000000 characters long/, 'title'));
  const tags = Array.from({ length: 10_000 }, (_, i) => `tag-${i}`);
  file('ten-thousand-tags.md', 'ten thousand tags', raw(article(valid({ title: 'Tagged to death', tags }))), rejected(/tags has 10000 distinct tags/, 'tags'));
  file('duplicate-id-b.md', 'the second file with an id already taken', raw(article(valid({ id: 'hostile-duplicate', title: 'Duplicate id, second by path' }))), rejected(/id "hostile-duplicate" is also the id of .*hostile\/duplicate-id-a\.md/, 'id'));

  // Hostile but valid: published, intact.
  const publishedAs = (title: string, contentMarker?: string): HostileExpectation => ({ outcome: 'published', title, ...(contentMarker === undefined ? {} : { contentMarker }) });
  file('duplicate-id-a.md', 'the first file with a shared id, which keeps it', raw(article(valid({ id: 'hostile-duplicate', title: 'Duplicate id, first by path' }))), publishedAs('Duplicate id, first by path'));
  file('byte-order-mark.md', 'UTF-8 with a byte-order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), raw(article(valid({ title: 'Starts with a byte-order mark' })))]), publishedAs('Starts with a byte-order mark'));
  file('crlf.md', 'CRLF line endings', raw(article(valid({ title: 'Windows line endings' }), 'First paragraph.\n\nSecond paragraph.\n').replace(/\n/g, '\r\n')), publishedAs('Windows line endings', 'Second paragraph.'));
  file('cr-only.md', 'classic Mac CR line endings', raw(article(valid({ title: 'Classic Mac line endings' })).replace(/\n/g, '\r')), publishedAs('Classic Mac line endings'));
  const nested = `${'<div>'.repeat(10_000)}deep inside${'</div>'.repeat(10_000)}`;
  file('deeply-nested-html.md', 'ten thousand nested divs', raw(article(valid({ title: 'Deeply nested HTML' }), `${nested}\n`)), publishedAs('Deeply nested HTML', 'deep inside'));
  file('every-unicode-plane.md', 'a character from every Unicode plane in every field', raw(article(valid({ title: ALL_PLANES_TITLE, summary: EVERY_PLANE, tags: [EVERY_PLANE], authors: [EVERY_PLANE] }), `${EVERY_PLANE}\n`)), publishedAs(ALL_PLANES_TITLE, EVERY_PLANE));
  file('right-to-left.md', 'right-to-left text with direction overrides', raw(article(valid({ title: RTL_TITLE, summary: RTL_TITLE, tags: ['عاجل', 'חדשות'], authors: ['مراسل'] }), `${RTL_TITLE}\n`)), publishedAs(RTL_TITLE, 'الطريق الساحلي'));
  const entityFields = { id: ENTITY_TEXT, title: ENTITY_TEXT, summary: ENTITY_TEXT, tags: [ENTITY_TEXT, '<![CDATA[', ']]>'], authors: [{ name: ENTITY_TEXT, url: 'https://example.com/?a=1&b=<2>' }], slug: ENTITY_TEXT };
  file('entities-and-cdata.md', 'entities, markup and CDATA markers in every field', raw(article(valid(entityFields), `${ENTITY_TEXT}\n\n<![CDATA[ raw ]]> &amp; &#x3C;script&#x3E;\n`)), publishedAs(ENTITY_TEXT));
  const terminators = { id: TERMINATORS, title: TERMINATORS, summary: ']]>'.repeat(1000), tags: [']]>', ']]>]]>'], authors: [']]>'] };
  file('cdata-terminators.md', '"]]>" many times in every field and the body', raw(article(valid(terminators), `${']]>'.repeat(10_000)}\n\n\`\`\`\n${']]>'.repeat(1000)}\n\`\`\`\n`)), publishedAs(TERMINATORS, ']]'));
  // YAML escapes give characters XML forbids; they are removed, the rest of the title stays.
  file('escaped-controls.md', 'NUL, controls, noncharacters and lone surrogates through YAML escapes', raw(`---\ntitle: "Null\\0 bell\\a escape\\e nonchar\\uFFFE surrogate\\uD800 end"\nsummary: "\\0\\x01\\x02\\x1F"\ntags: ["\\0", "ok\\x0B"]\ncategory: ${primary}\npublished: ${published}\n---\nBody with \\0 and a form feed \f inside.\n`), publishedAs('Null bell escape nonchar surrogate end', 'form feed'));
  file('script-body.md', 'scripts, handlers and javascript: links in the body', raw(article(valid({ title: 'Body full of scripts' }), '<script>alert(1)</script>\n\n<img src="x" onerror="alert(2)">\n\n[click](javascript:alert(3))\n\n<iframe src="https://evil.example/"></iframe>\n\n<svg onload="alert(4)"></svg>\n\nSafe words.\n')), publishedAs('Body full of scripts', 'Safe words.'));
  file('prototype-keys.md', '__proto__ and constructor keys', raw(`---\n__proto__: { polluted: true }\nconstructor: { prototype: { polluted: true } }\ntitle: Prototype keys\ncategory: ${primary}\npublished: ${published}\n---\nBody.\n`), publishedAs('Prototype keys'));

  // Links: the outside file must never be read, whatever the link is called.
  entries.push({ kind: 'link', path: `${HOSTILE}/outside-link.md`, what: 'a link to a file outside the store', target: '../../outside/secret.md', expect: rejected(/symbolic link to a file outside the content folder/) });
  entries.push({ kind: 'link', path: `${HOSTILE}/dangling-link.md`, what: 'a link to nothing', target: '../../outside/missing.md', expect: rejected(/symbolic link to something that does not exist/) });
  entries.push({ kind: 'link', path: `${HOSTILE}/linked-folder`, what: 'a link to a folder outside the store', target: '../../outside', expect: rejected(/linked folders are not followed/) });

  return {
    siteYaml: corpusSiteYaml(categoryNames),
    categoryNames,
    entries,
    outside: [{ path: 'secret.md', text: article({ title: OUTSIDE_TITLE, category: primary, published }) }],
    outsideTitle: OUTSIDE_TITLE,
  };
}

/** Writes the store into `<root>/content` and the files links point to into `<root>/outside`; returns the content folder. */
export async function writeHostileStore(root: string, store: HostileStore): Promise<string> {
  const content = path.join(root, 'content');
  await mkdir(content, { recursive: true });
  await writeFile(path.join(content, 'site.yaml'), store.siteYaml);
  for (const outside of store.outside) {
    const target = path.join(root, 'outside', outside.path);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, outside.text);
  }
  for (const entry of store.entries) {
    const target = path.join(content, entry.path);
    await mkdir(path.dirname(target), { recursive: true });
    if (entry.kind === 'file') await writeFile(target, entry.bytes);
    else await symlink(entry.target, target);
  }
  return content;
}
