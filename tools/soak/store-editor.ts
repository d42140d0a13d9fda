import { readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify } from 'yaml';

export interface EditorOptions {
  readonly contentDir: string;
  /** Category names as site.yaml declares them. */
  readonly categories: readonly string[];
  readonly operationsPerSecond: number;
  /** performance.now() after which no further change is made. */
  readonly deadline: number;
  readonly random?: () => number;
}

export interface EditorCounts {
  readonly edits: number;
  readonly adds: number;
  readonly deletes: number;
  /** Changes the editor itself could not make; a harness problem, not the service's. */
  readonly failures: readonly string[];
}

const FRONT_MATTER = /^---\n([\s\S]*?)\n---\n/;
const REVISION = / \(rev \d+\)$/;
const isoSeconds = (time: number): string => new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
const folderOf = (category: string): string => category.toLowerCase().replace(/[^a-z0-9]+/g, '-');
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const FILLER =
  'Officials said the figures would be revised as more reports arrived. Residents described a long night, ' +
  'and the council promised a fuller statement in the morning. Analysts expect the debate to continue for weeks.';

/** An article the way a newsroom's editor would correct it: new title revision, a correction line, `updated` now. */
function revise(text: string, revision: number, now: number): string {
  const match = FRONT_MATTER.exec(text);
  if (!match) throw new Error('no front matter');
  const fields = parse(match[1] ?? '') as Record<string, unknown>;
  fields.title = `${String(fields.title).replace(REVISION, '')} (rev ${revision})`;
  // An embargoed article keeps its dates: `updated` may not come before `published`.
  if (Date.parse(String(fields.published)) <= now) fields.updated = isoSeconds(now);
  return `---\n${stringify(fields)}---\n${text.slice(match[0].length).trimEnd()}\n\nCorrection ${revision}, ${isoSeconds(now)}: ${FILLER}\n`;
}

function newArticle(name: string, serial: number, category: string, now: number): string {
  const fields = {
    id: name,
    title: `Soak desk report ${serial}: council weighs harbour plan`,
    category,
    published: isoSeconds(now),
    summary: `Report ${serial} from the soak desk. ${FILLER}`,
    tags: ['soak', 'harbour'],
  };
  return `---\n${stringify(fields)}---\n## Latest\n\n${Array.from({ length: 8 }, () => FILLER).join('\n\n')}\n`;
}

async function listArticles(contentDir: string): Promise<string[]> {
  const entries = await readdir(contentDir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.md')).map((entry) => path.join(entry.parentPath, entry.name));
}

/**
 * Changes the store a few times a second until the deadline, as a newsroom does while readers
 * poll: half corrections to existing articles, three in ten new articles, two in ten deletions.
 */
export async function runEditor(options: EditorOptions): Promise<EditorCounts> {
  const random = options.random ?? Math.random;
  const files = await listArticles(options.contentDir);
  const intervalMs = 1000 / options.operationsPerSecond;
  const counts = { edits: 0, adds: 0, deletes: 0 };
  const failures: string[] = [];
  // Names of this run's own: a store left over from an earlier run must not turn adds into duplicate ids.
  const run = Date.now().toString(36);
  while (performance.now() + intervalMs < options.deadline) {
    await pause(intervalMs);
    const roll = random();
    const at = Math.floor(random() * files.length);
    const file = files[at];
    const now = Date.now();
    try {
      if (file === undefined || (roll >= 0.5 && roll < 0.8)) {
        const serial = counts.adds + 1;
        const category = options.categories[Math.floor(random() * options.categories.length)] ?? '';
        const name = `soak-${run}-${serial}`;
        const target = path.join(options.contentDir, folderOf(category), `${name}.md`);
        await writeFile(target, newArticle(name, serial, category, now), { flag: 'wx' });
        files.push(target);
        counts.adds += 1;
      } else if (roll < 0.5) {
        await writeFile(file, revise(await readFile(file, 'utf8'), counts.edits + 1, now));
        counts.edits += 1;
      } else {
        await unlink(file);
        files.splice(at, 1);
        counts.deletes += 1;
      }
    } catch (error) {
      failures.push(`${file ?? 'new article'}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { ...counts, failures };
}
