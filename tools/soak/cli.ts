import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatSoakReport } from './format-soak-report.ts';
import { runSoak } from './run-soak.ts';

/**
 * `npm run soak`: many readers poll every feed while an editor changes the store; exits 1 on any
 * wrong answer or when the service's memory keeps growing. Loopback only, bounded by --seconds.
 */
const usage = 'usage: npm run soak -- [--seconds 60] [--clients 1000] [--articles 2000] [--categories 20] [--edits-per-second 3] [--max-rss-growth-mib 64] [--service-env NAME=VALUE]...';
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    clients: { type: 'string', default: '1000' },
    articles: { type: 'string', default: '2000' },
    categories: { type: 'string', default: '20' },
    'edits-per-second': { type: 'string', default: '3' },
    'max-rss-growth-mib': { type: 'string', default: '64' },
    'service-env': { type: 'string', multiple: true, default: [] },
  },
});
const seconds = Number(values.seconds);
const clients = Number(values.clients);
const articles = Number(values.articles);
const categories = Number(values.categories);
const editsPerSecond = Number(values['edits-per-second']);
const maxGrowthMib = Number(values['max-rss-growth-mib']);
const positive = (value: number): boolean => Number.isFinite(value) && value > 0;
const serviceEnv = Object.fromEntries((values['service-env'] ?? []).map((assignment) => [assignment.split('=', 1)[0] ?? '', assignment.slice(assignment.indexOf('=') + 1)]));
const badEnv = (values['service-env'] ?? []).some((assignment) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(assignment));
if (badEnv || ![seconds, clients, articles, categories, editsPerSecond, maxGrowthMib].every(positive) || !Number.isInteger(clients) || !Number.isInteger(articles) || !Number.isInteger(categories)) {
  console.error(usage);
  process.exit(2);
}
const result = await runSoak({
  articles,
  categories,
  seconds,
  clients,
  corpusRoot: path.resolve('.corpus'),
  editsPerSecond,
  conditionalShare: 0.7,
  maxRssGrowthBytes: maxGrowthMib * 2 ** 20,
  serviceEnv,
  log: (line) => console.error(line),
});
console.log(formatSoakReport(result));
process.exitCode = result.failures.length === 0 ? 0 : 1;
