import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RevisionLedger, RevisionRecord } from '../articles/revision-ledger.ts';
import { writeFileAtomically } from '../publication/write-file-atomically.ts';
import { compareCodeUnits } from '../domain/compare-code-units.ts';
import type { RevisionTimes } from './durable-state.ts';

/**
 * The revision ledger lives beside the published files, so a restarted service keeps the
 * `updated` times it already announced instead of moving them back. One JSON record per line,
 * appended as revisions are recorded: an edit appends one line, where rewriting a ledger of
 * 100,000 articles took a few hundred milliseconds of the event loop after every edit.
 */
export const REVISION_LEDGER_FILE = '.wirefeed-revisions.jsonl';
/** The earlier format: one JSON object rewritten whole. Read once, when the new file does not exist yet. */
const OLDER_LEDGER_FILE = '.wirefeed-revisions.json';

/** The embedded default for the revision times: the ledger file in `outputDir`. */
export function openRevisionLedgerFile(outputDir: string): RevisionTimes {
  return { load: () => loadRevisionLedger(outputDir), append: (records) => appendRevisions(outputDir, records) };
}

interface RevisionLine extends RevisionRecord {
  readonly id: string;
}

function parseLine(line: string): RevisionLine | undefined {
  try {
    const candidate = JSON.parse(line) as Partial<RevisionLine> | null;
    if (typeof candidate?.id === 'string' && typeof candidate.hash === 'string' && typeof candidate.since === 'number') {
      return { id: candidate.id, hash: candidate.hash, since: candidate.since };
    }
  } catch {
    // A line torn by a crash mid-append, or damaged by hand: that one record is lost, not the ledger.
  }
  return undefined;
}

function toLines(records: ReadonlyMap<string, RevisionRecord>): string {
  return [...records].map(([id, record]) => `${JSON.stringify({ id, hash: record.hash, since: record.since })}\n`).join('');
}

/**
 * Reads the ledger (the last line for an id wins). When the file has grown to more than twice the
 * records it holds, it is rewritten with one line each, so it stays proportional to the store.
 */
export async function loadRevisionLedger(outputDir: string): Promise<RevisionLedger> {
  const file = path.join(outputDir, REVISION_LEDGER_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    // Missing or unreadable: edits from now on are still stamped; earlier stamps fall back to the declared dates.
    return carryOverOlderLedger(outputDir);
  }
  // A crash mid-append leaves a last line without its newline; the next append must not run into it.
  if (text !== '' && !text.endsWith('\n')) await appendFile(file, '\n').catch(() => undefined);
  const ledger = new Map<string, RevisionRecord>();
  let lines = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    lines += 1;
    const record = parseLine(line);
    if (record) ledger.set(record.id, { hash: record.hash, since: record.since });
  }
  if (lines > 2 * ledger.size + 100) {
    const sorted = new Map([...ledger].sort(([a], [b]) => compareCodeUnits(a, b)));
    await writeFileAtomically(file, Buffer.from(toLines(sorted))).catch(() => undefined);
  }
  return ledger;
}

/** Appends records new or changed since the last call. */
export async function appendRevisions(outputDir: string, records: ReadonlyMap<string, RevisionRecord>): Promise<void> {
  if (records.size === 0) return;
  await mkdir(outputDir, { recursive: true });
  await appendFile(path.join(outputDir, REVISION_LEDGER_FILE), toLines(records));
}

/**
 * Records of the older ledger file keep their `since` but not their hash, which was taken over
 * the body's HTML: the public view adopts the current wording's hash for them without treating
 * it as a revision (see articles/public-view.ts).
 */
async function carryOverOlderLedger(outputDir: string): Promise<RevisionLedger> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path.join(outputDir, OLDER_LEDGER_FILE), 'utf8'));
  } catch {
    return new Map();
  }
  const ledger = new Map<string, RevisionRecord>();
  if (typeof parsed === 'object' && parsed !== null) {
    for (const [id, record] of Object.entries(parsed as Record<string, unknown>)) {
      const since = (record as { since?: unknown } | null)?.since;
      if (typeof since === 'number') ledger.set(id, { hash: '', since });
    }
  }
  await appendRevisions(outputDir, ledger).catch(() => undefined);
  return ledger;
}
