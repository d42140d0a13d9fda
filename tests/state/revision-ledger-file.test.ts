import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendRevisions, loadRevisionLedger, openRevisionLedgerFile, REVISION_LEDGER_FILE } from '../../src/state/revision-ledger-file.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirefeed-ledger-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const lineCount = async (): Promise<number> => (await readFile(path.join(dir, REVISION_LEDGER_FILE), 'utf8')).split('\n').filter(Boolean).length;

describe('revision ledger file', () => {
  it('starts empty when there is no file', async () => {
    expect((await loadRevisionLedger(path.join(dir, 'missing'))).size).toBe(0);
  });

  it('appends only what is given, and the last record of an id wins', async () => {
    await appendRevisions(dir, new Map([['b', { hash: 'x', since: 2 }], ['a', { hash: 'y', since: 1 }]]));
    await appendRevisions(dir, new Map([['a', { hash: 'z', since: 5 }]]));
    expect(await lineCount()).toBe(3);
    expect(Object.fromEntries(await loadRevisionLedger(dir))).toEqual({ a: { hash: 'z', since: 5 }, b: { hash: 'x', since: 2 } });
  });

  it('is the RevisionTimes the rebuild job uses by default: the same file, line by line', async () => {
    const times = openRevisionLedgerFile(dir);
    await times.append(new Map([['a', { hash: 'y', since: 1 }]]));
    await appendRevisions(dir, new Map([['b', { hash: 'x', since: 2 }]]));
    expect(await lineCount()).toBe(2);
    expect(Object.fromEntries(await times.load())).toEqual(Object.fromEntries(await loadRevisionLedger(dir)));
    expect((await times.load()).size).toBe(2);
  });

  it('loses only a torn or damaged line, not the ledger', async () => {
    await appendRevisions(dir, new Map([['a', { hash: 'y', since: 1 }]]));
    await appendFile(path.join(dir, REVISION_LEDGER_FILE), '{"id":"b","hash":"x","since":2}\n{not json\n{"id":"c","ha');
    expect([...(await loadRevisionLedger(dir)).keys()]).toEqual(['a', 'b']);
  });

  it('rewrites a file that has grown to more than twice its records, keeping every record', async () => {
    for (let round = 0; round < 60; round += 1) {
      await appendRevisions(dir, new Map([['a', { hash: `h${round}`, since: round }], ['b', { hash: 'x', since: 2 }]]));
    }
    expect(await lineCount()).toBe(120);
    // 120 lines for 2 records is under the margin of 100; a few more pass it.
    await writeFile(path.join(dir, REVISION_LEDGER_FILE), `${await readFile(path.join(dir, REVISION_LEDGER_FILE), 'utf8')}${'{"id":"b","hash":"x","since":2}\n'.repeat(10)}`);
    const ledger = await loadRevisionLedger(dir);
    expect(Object.fromEntries(ledger)).toEqual({ a: { hash: 'h59', since: 59 }, b: { hash: 'x', since: 2 } });
    expect(await lineCount()).toBe(2);
    expect(Object.fromEntries(await loadRevisionLedger(dir))).toEqual(Object.fromEntries(ledger));
  });

  it('starts a new line after one torn by a crash, so the next record is not lost', async () => {
    await writeFile(path.join(dir, REVISION_LEDGER_FILE), '{"id":"a","hash":"y","since":1}\n{"id":"b","ha');
    await loadRevisionLedger(dir);
    await appendRevisions(dir, new Map([['c', { hash: 'z', since: 3 }]]));
    expect([...(await loadRevisionLedger(dir)).keys()]).toEqual(['a', 'c']);
  });

  it('carries over the older whole-file ledger: its times, not its hashes', async () => {
    await writeFile(path.join(dir, '.wirefeed-revisions.json'), JSON.stringify({ a: { hash: 'old', since: 7 }, b: { hash: 'old', since: 9 } }));
    expect(Object.fromEntries(await loadRevisionLedger(dir))).toEqual({ a: { hash: '', since: 7 }, b: { hash: '', since: 9 } });
    // Written to the new file, so the next start reads it from there.
    expect(await lineCount()).toBe(2);
  });
});

