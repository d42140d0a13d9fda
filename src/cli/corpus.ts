import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { corpusCategoryNames, corpusSiteYaml, generateCorpus } from '../corpus/generate-corpus.ts';

const usage = 'usage: npm run corpus -- --articles N --categories C --out DIR [--seed S]';
const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '1000' },
    categories: { type: 'string', default: '50' },
    out: { type: 'string' },
    seed: { type: 'string', default: '1' },
  },
});
const articles = Number(values.articles);
const categories = Number(values.categories);
const seed = Number(values.seed);
if (!values.out || !Number.isInteger(articles) || articles < 0 || !Number.isInteger(categories) || categories < 1 || !Number.isInteger(seed)) {
  console.error(usage);
  process.exit(2);
}
const out = path.resolve(values.out);
// A fixed "now" keeps the corpus identical whatever day it is generated on.
const now = Date.parse('2026-11-01T00:00:00Z');
await mkdir(out, { recursive: true });
await writeFile(path.join(out, 'site.yaml'), corpusSiteYaml(corpusCategoryNames(categories)));
const folders = new Set<string>();
let written = 0;
for (const file of generateCorpus({ articles, categories, seed, now })) {
  const target = path.join(out, file.path);
  const folder = path.dirname(target);
  if (!folders.has(folder)) {
    await mkdir(folder, { recursive: true });
    folders.add(folder);
  }
  await writeFile(target, file.text);
  written += 1;
}
console.log(`wrote ${written} articles in ${categories} categories to ${out}`);
