import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatBenchReport, runBench } from './run-bench.ts';

/**
 * `npm run bench`: the figures in BENCHMARKS.md. `--quick` is the small run the test suite uses
 * so the benchmark cannot rot; it does not touch BENCHMARKS.md.
 */
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    'http-seconds': { type: 'string' },
    out: { type: 'string' },
  },
});
const quick = values.quick ?? false;
const sizes = (values.sizes ?? (quick ? '60' : '1000,10000,100000')).split(',').map(Number);
const result = await runBench({
  sizes,
  categories: quick ? 5 : 50,
  editSizes: quick ? sizes : sizes.filter((size) => size >= 10_000),
  edits: quick ? 3 : 20,
  httpSize: quick ? (sizes[0] ?? 60) : 10_000,
  httpSeconds: Number(values['http-seconds'] ?? (quick ? 1 : 10)),
  connections: 100,
  corpusRoot: path.resolve('.corpus'),
  log: (line) => console.error(line),
});
const report = formatBenchReport(result, new Date());
console.log(report);
const target = values.out ?? (quick ? undefined : 'BENCHMARKS.md');
if (target) {
  const previous = await readFile(target, 'utf8').catch(() => '');
  const notes = previous.includes('\n## Notes') ? previous.slice(previous.indexOf('\n## Notes')) : '';
  await writeFile(target, `# Benchmarks\n\nWritten by \`npm run bench\`.\n\n${report}\n${notes}`);
}
