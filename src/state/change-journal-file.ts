import type { FileHandle } from 'node:fs/promises';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import type { ChangeEntry, ChangeRecord, JournaledState } from '../domain/change-entry.ts';
import type { ChangeJournal, JournalQuery } from './durable-state.ts';
import { journaledState } from './durable-state.ts';

/**
 * The change journal as an append-only JSONL file beside the published output, one entry per
 * line: `{"seq":…,"end":…,"at":…,"change":…,"scopes":[…],"article":{…}}`. `end` is the last seq
 * of the append the line belongs to, so an append cut short by a crash is recognised as a whole
 * and removed at open, never kept in part. Only where each line starts and what it is listed
 * under is held in memory; entries are read back from the file when a page asks for them.
 */
export const CHANGE_JOURNAL_FILE = '.wirefeed-changes.jsonl';

export interface ChangeJournalFileOptions {
  /** fsync after every append (default true); off only for benchmarks that measure without it. */
  readonly sync?: boolean;
}

interface StoredLine extends ChangeEntry {
  readonly end: number;
}

const READ_CHUNK = 1 << 20;
const NEWLINE = 0x0a;

function parseLine(text: string): StoredLine | undefined {
  try {
    const line = JSON.parse(text) as Partial<StoredLine> | null;
    if (typeof line?.seq === 'number' && typeof line.end === 'number' && typeof line.at === 'number' && typeof line.change === 'string' && Array.isArray(line.scopes) && typeof line.article === 'object' && line.article !== null) {
      return line as StoredLine;
    }
  } catch {
    // Reported by the caller, which knows where the line is.
  }
  return undefined;
}

function toEntry(line: StoredLine): ChangeEntry {
  return { seq: line.seq, at: line.at, change: line.change, scopes: line.scopes, article: line.article };
}

/** The first position in 0..length whose ascending value is greater than `after`. */
function firstAfter(length: number, valueAt: (position: number) => number, after: number): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (valueAt(middle) <= after) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Every complete line of the file with its byte offset, read in chunks (the file may be larger than a string can be). */
async function* readLines(handle: FileHandle): AsyncGenerator<{ offset: number; bytes: Buffer }> {
  let carry = Buffer.alloc(0);
  let carryOffset = 0;
  let position = 0;
  const chunk = Buffer.alloc(READ_CHUNK);
  for (;;) {
    const { bytesRead } = await handle.read(chunk, 0, READ_CHUNK, position);
    if (bytesRead === 0) break;
    position += bytesRead;
    let data = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
    let start = 0;
    for (let newline = data.indexOf(NEWLINE, start); newline >= 0; newline = data.indexOf(NEWLINE, start)) {
      yield { offset: carryOffset + start, bytes: data.subarray(start, newline + 1) };
      start = newline + 1;
    }
    carryOffset += start;
    data = data.subarray(start);
    carry = Buffer.from(data);
  }
}

/**
 * Opens (creating it if needed) the journal file in `directory`. A last line without its newline,
 * or a last append with fewer lines than it announced, is a write a crash cut short: it was never
 * acknowledged, so nobody read it, and it is cut off; its numbers are given to the next append,
 * which keeps the sequence free of gaps. A damaged line elsewhere is skipped and reported.
 */
export async function openChangeJournalFile(directory: string, options: ChangeJournalFileOptions = {}): Promise<ChangeJournal> {
  const sync = options.sync ?? true;
  await mkdir(directory, { recursive: true });
  const file = path.join(directory, CHANGE_JOURNAL_FILE);
  const shown = path.relative(process.cwd(), file) || file;
  // 'a+': reads at any position, writes always at the end.
  const handle = await open(file, 'a+');
  const problems: string[] = [];
  const seqs: number[] = [];
  const offsets: number[] = [];
  const lengths: number[] = [];
  const ats: number[] = [];
  /** Positions in the arrays above of the entries listed under each category. */
  const byCategory = new Map<string, number[]>();
  const states = new Map<string, JournaledState>();
  let size = 0;

  function index(line: StoredLine, offset: number, length: number): void {
    const position = seqs.length;
    seqs.push(line.seq);
    offsets.push(offset);
    lengths.push(length);
    ats.push(line.at);
    for (const slug of line.scopes) {
      let list = byCategory.get(slug);
      if (!list) byCategory.set(slug, (list = []));
      list.push(position);
    }
    states.set(line.article.id, journaledState(line));
  }

  // Lines of the last append, held until it is known to be complete.
  let batch: { line: StoredLine; offset: number; length: number }[] = [];
  let batchStart = 0;
  let goodEnd = 0;
  let lastSeq = 0;
  const flush = (): void => {
    for (const { line, offset, length } of batch) index(line, offset, length);
    batch = [];
  };
  for await (const { offset, bytes } of readLines(handle)) {
    const line = parseLine(bytes.toString('utf8'));
    if (!line || line.seq <= lastSeq) {
      problems.push(`${shown}: the line at byte ${offset} is damaged and was skipped; restore the file from a backup if its change matters`);
      continue;
    }
    if (batch.length === 0) batchStart = offset;
    batch.push({ line, offset, length: bytes.length });
    lastSeq = line.seq;
    if (line.seq >= line.end) {
      flush();
      goodEnd = offset + bytes.length;
    }
  }
  const { size: fileSize } = await handle.stat();
  if (batch.length > 0 || fileSize > goodEnd) {
    const cut = batch.length > 0 ? batchStart : goodEnd;
    problems.push(`${shown}: the last append was cut short by a crash (${fileSize - cut} bytes); it was never acknowledged and was removed`);
    await handle.truncate(cut);
    if (sync) await handle.sync();
    size = cut;
  } else {
    size = fileSize;
  }
  if (sync) {
    // A new file's name must survive a power cut too.
    const folder = await open(directory, 'r');
    await folder.sync().finally(() => folder.close());
  }

  const seqOf = (position: number): number => seqs[position] ?? 0;
  let head = seqs[seqs.length - 1] ?? 0;
  let lastAt = ats[ats.length - 1] ?? Number.NEGATIVE_INFINITY;
  let broken: Error | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  async function appendNow(records: readonly ChangeRecord[]): Promise<readonly ChangeEntry[]> {
    if (broken) throw broken;
    if (records.length === 0) return [];
    const end = head + records.length;
    const entries: ChangeEntry[] = [];
    const lines: Buffer[] = [];
    for (const [position, record] of records.entries()) {
      // A clock that steps back must not make the journal's times go backwards: the replay window searches them.
      const at = Math.max(record.at, lastAt);
      const entry: ChangeEntry = { seq: head + position + 1, at, change: record.change, scopes: record.scopes, article: record.article };
      entries.push(entry);
      lines.push(Buffer.from(`${JSON.stringify({ seq: entry.seq, end, at, change: entry.change, scopes: entry.scopes, article: entry.article })}\n`, 'utf8'));
    }
    const bytes = Buffer.concat(lines);
    try {
      await handle.write(bytes);
      if (sync) await handle.datasync();
    } catch (error) {
      // Take back whatever part reached the file, so the next append does not follow a torn one.
      await handle.truncate(size).catch((truncateError: unknown) => {
        broken = new Error(`${shown}: an append failed and could not be taken back (${String(truncateError)}); restart Wirefeed to repair the journal`);
      });
      throw new Error(`${shown}: could not append to the change journal: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    let offset = size;
    for (const [position, entry] of entries.entries()) {
      const length = lines[position]?.length ?? 0;
      index({ ...entry, end }, offset, length);
      offset += length;
    }
    size = offset;
    head = end;
    lastAt = entries[entries.length - 1]?.at ?? lastAt;
    return entries;
  }

  async function readAt(positions: readonly number[]): Promise<ChangeEntry[]> {
    if (positions.length === 0) return [];
    const first = positions[0] ?? 0;
    const last = positions[positions.length - 1] ?? 0;
    const from = offsets[first] ?? 0;
    const to = (offsets[last] ?? 0) + (lengths[last] ?? 0);
    // Entries of a category are scattered: read the span when it is small, else each entry alone.
    if (to - from <= 4 * positions.reduce((sum, position) => sum + (lengths[position] ?? 0), 0)) {
      const span = Buffer.alloc(to - from);
      await handle.read(span, 0, span.length, from);
      return positions.map((position) => decode(span.subarray((offsets[position] ?? 0) - from, (offsets[position] ?? 0) - from + (lengths[position] ?? 0)), position));
    }
    return Promise.all(positions.map(async (position) => {
      const bytes = Buffer.alloc(lengths[position] ?? 0);
      await handle.read(bytes, 0, bytes.length, offsets[position] ?? 0);
      return decode(bytes, position);
    }));
  }

  function decode(bytes: Buffer, position: number): ChangeEntry {
    const line = parseLine(bytes.toString('utf8'));
    if (!line || line.seq !== seqs[position]) throw new Error(`${shown}: entry ${seqs[position]} could not be read back; the file was changed behind Wirefeed's back`);
    return toEntry(line);
  }

  return {
    problems,
    append(records) {
      const result = queue.then(() => appendNow(records));
      queue = result.catch(() => undefined);
      return result;
    },
    async read(query: JournalQuery) {
      const limit = Math.max(0, Math.floor(query.limit));
      const skip = Math.max(0, Math.floor(query.skip ?? 0));
      if (query.category === undefined) {
        const start = firstAfter(seqs.length, seqOf, query.after) + skip;
        return readAt(Array.from({ length: Math.max(0, Math.min(limit, seqs.length - start)) }, (_, offset) => start + offset));
      }
      const listed = byCategory.get(query.category) ?? [];
      const start = firstAfter(listed.length, (position) => seqOf(listed[position] ?? 0), query.after) + skip;
      return readAt(listed.slice(start, start + limit));
    },
    count: (category) => Promise.resolve(category === undefined ? seqs.length : (byCategory.get(category)?.length ?? 0)),
    head: () => Promise.resolve(head),
    cursorBefore(at) {
      // `ats` never decreases (see appendNow), so the entries before `at` are a prefix.
      const count = firstAfter(ats.length, (position) => ats[position] ?? 0, at - 1);
      return Promise.resolve(count === 0 ? 0 : (seqs[count - 1] ?? 0));
    },
    lastStates: () => Promise.resolve(new Map(states)),
    async close() {
      await queue;
      await handle.close();
    },
  };
}
