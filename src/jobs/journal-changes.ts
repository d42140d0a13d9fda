import type { Article } from '../domain/article.ts';
import { isRetractedAt } from '../domain/article.ts';
import type { ChangeKind, ChangeRecord, JournaledState } from '../domain/change-entry.ts';
import { isPublicState, toArticleVersion } from '../domain/change-entry.ts';
import { compareCodeUnits } from '../domain/compare-code-units.ts';
import type { PublicChanges } from './build-site.ts';

/*
 * Which changes a build publishes, compared with what the journal last said about each article id.
 * Pure apart from the two questions it is handed: whether a store file still exists, and what a
 * journal entry held (for a retraction, which repeats the last version published).
 */

export interface ChangeDiffInput {
  readonly changes: PublicChanges;
  /** What the journal last said, by article id; the caller updates it once the records are appended. */
  readonly known: ReadonlyMap<string, JournaledState>;
  /** The build's moment. */
  readonly at: number;
  /** Whether this store path (relative to the store) still exists. */
  readonly fileExists: (sourcePath: string) => Promise<boolean>;
  /** The version the entry with this seq holds. */
  readonly versionOf: (seq: number) => Promise<ChangeRecord['article'] | undefined>;
}


function sameCategories(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((slug, index) => slug === b[index]);
}

/** The kind of change from `state` (what partners were told last) to the public `article`, or undefined for none. */
function changeKind(state: JournaledState | undefined, article: Article): ChangeKind | undefined {
  if (!isPublicState(state)) return 'published';
  // Both moving in one build is one entry: the category change, since it decides which streams list it.
  if (!sameCategories(state.categories, article.categories.map((category) => category.slug))) return 'recategorised';
  // A new or changed correction names the revision as one, whether or not `updated` moved with it.
  if (article.correction !== undefined && article.correction !== state.correction) return 'corrected';
  return state.updated === article.updated ? undefined : 'revised';
}

/**
 * The records one build publishes, ordered by article id: `published` for an article public for
 * the first time (an embargo lifting included) or again after a retraction, `revised` when its
 * shown `updated` moved, `corrected` when its correction text is new or changed, `recategorised`
 * when its categories changed, and `retracted` when a public article's `retracted` moment came
 * or its file was deleted. A retraction holds the last version published, with the retraction
 * time (the field's, or the build's moment for a deleted file) and the note.
 *
 * An article that left the public view otherwise while its file still exists (made a draft,
 * moved under embargo again, now failing to parse, or its id changed) gets no entry here: the
 * partners' copy stays as it was until the article comes back or its file is deleted. The guard
 * against a vanished store builds on `retractionCandidates`.
 */
export async function diffPublicChanges(input: ChangeDiffInput): Promise<ChangeRecord[]> {
  const { changes, known, at } = input;
  const records: ChangeRecord[] = [];
  const publicIds = new Set<string>();
  for (const article of changes.touched) {
    const shown = changes.version(article);
    if (shown === undefined) {
      const record = await retractedByField(input, article);
      if (record !== undefined) {
        publicIds.add(article.id);
        records.push(record);
      }
      continue;
    }
    publicIds.add(shown.id);
    const state = known.get(shown.id);
    const change = changeKind(state, shown);
    if (change === undefined) continue;
    const slugs = shown.categories.map((category) => category.slug);
    const scopes = change === 'recategorised' && state ? [...new Set([...slugs, ...state.categories])] : slugs;
    records.push({ change, at, scopes, article: toArticleVersion(shown) });
  }
  for (const id of retractionCandidates(changes, known, publicIds)) {
    const state = known.get(id);
    if (!isPublicState(state) || (await input.fileExists(state.sourcePath))) continue;
    const article = await input.versionOf(state.seq);
    if (article === undefined) continue;
    records.push({ change: 'retracted', at, scopes: state.categories, article: { ...article, retracted: at } });
  }
  return records.sort((a, b) => compareCodeUnits(a.article.id, b.article.id));
}

/** The retraction of an article whose `retracted` moment has come, when partners were last told it is public. */
async function retractedByField(input: ChangeDiffInput, article: Article): Promise<ChangeRecord | undefined> {
  const state = input.known.get(article.id);
  if (article.draft || article.retracted === undefined || !isRetractedAt(article, input.at) || !isPublicState(state)) return undefined;
  const version = await input.versionOf(state.seq);
  if (version === undefined) return undefined;
  return {
    change: 'retracted',
    at: input.at,
    scopes: state.categories,
    article: { ...version, retracted: article.retracted, ...(article.retractionNote === undefined ? {} : { retractionNote: article.retractionNote }) },
  };
}

/** Ids partners were last told are public that this build did not find public. */
function retractionCandidates(changes: PublicChanges, known: ReadonlyMap<string, JournaledState>, publicIds: ReadonlySet<string>): string[] {
  const candidates = new Set<string>();
  const consider = (id: string): void => {
    if (!publicIds.has(id) && isPublicState(known.get(id))) candidates.add(id);
  };
  if (changes.full) for (const id of known.keys()) consider(id);
  for (const article of changes.touched) consider(article.id);
  for (const article of changes.removed) consider(article.id);
  return [...candidates];
}
