import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeCorpus } from './ensure-corpus.ts';

const usage = 'usage: npm run corpus -- --articles N --categories C --out DIR [--seed S] [--media]';
const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '1000' },
    categories: { type: 'string', default: '50' },
    out: { type: 'string' },
    seed: { type: 'string', default: '1' },
    // Real lead and inline images and an Arabic category (issue 13's checks).
    media: { type: 'boolean', default: false },
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
const written = await writeCorpus(out, { articles, categories, seed, media: values.media });
console.log(`wrote ${written} articles in ${categories} categories${values.media ? ' (with images and an Arabic category)' : ''} to ${out}`);
