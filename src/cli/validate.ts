import { readFile } from 'node:fs/promises';
import { formatProblem } from '../domain/problem.ts';
import { validateFeedText } from '../validation/validate-feed-text.ts';

/** `npm run validate -- PATH_OR_URL...`: the checks a build applies, on any feed file or URL. */
const targets = process.argv.slice(2);
if (targets.length === 0) {
  console.error('usage: npm run validate -- PATH_OR_URL...');
  process.exit(2);
}

async function fetchText(target: string): Promise<string> {
  if (!/^https?:\/\//i.test(target)) return readFile(target, 'utf8');
  const response = await fetch(target, { headers: { accept: 'application/rss+xml, application/atom+xml, application/feed+json, */*' } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.text();
}

let failed = 0;
for (const target of targets) {
  let text: string;
  try {
    text = await fetchText(target);
  } catch (error) {
    console.error(`${target}: could not be read (${error instanceof Error ? error.message : String(error)})`);
    failed += 1;
    continue;
  }
  const problems = validateFeedText(text, { now: Date.now(), subject: target });
  if (problems.length === 0) {
    console.log(`${target}: valid`);
  } else {
    failed += 1;
    for (const problem of problems) console.error(formatProblem(problem));
  }
}
process.exit(failed > 0 ? 1 : 0);
