import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RevisionLedger, RevisionRecord } from '../articles/revision-ledger.ts';
import { writeFileAtomically } from './write-file-atomically.ts';

/**
 * The revision ledger lives beside the published files, so a restarted service keeps the
 * `updated` times it already announced instead of moving them back.
 */
export const REVISION_LEDGER_FILE = '.wirefeed-revisions.json';

export async function readRevisionLedger(outputDir: string): Promise<RevisionLedger> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path.join(outputDir, REVISION_LEDGER_FILE), 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return new Map();
    const ledger = new Map<string, RevisionRecord>();
    for (const [id, record] of Object.entries(parsed as Record<string, unknown>)) {
      const candidate = record as Partial<RevisionRecord> | null;
      if (typeof candidate?.hash === 'string' && typeof candidate.since === 'number') ledger.set(id, { hash: candidate.hash, since: candidate.since });
    }
    return ledger;
  } catch {
    // Missing or unreadable: edits from now on are still stamped; earlier stamps fall back to the declared dates.
    return new Map();
  }
}

export async function writeRevisionLedger(outputDir: string, ledger: RevisionLedger): Promise<void> {
  const sorted = Object.fromEntries([...ledger.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  await writeFileAtomically(path.join(outputDir, REVISION_LEDGER_FILE), Buffer.from(`${JSON.stringify(sorted)}\n`));
}
