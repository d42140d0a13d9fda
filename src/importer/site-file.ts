import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, YAMLSeq } from 'yaml';
import type { Document } from 'yaml';
import { writeFileAtomically } from '../publication/write-file-atomically.ts';
import { displayPath } from '../store/read-store.ts';

/** site.yaml kept as a YAML Document, so that adding a category keeps comments and layout. */
export interface SiteFile {
  readonly path: string;
  readonly doc: Document;
}

/** `message` names the file and says what to fix. */
export type SiteFileResult = { readonly ok: true; readonly site: SiteFile } | { readonly ok: false; readonly message: string };

export async function readSiteFile(storeDir: string): Promise<SiteFileResult> {
  const file = path.join(storeDir, 'site.yaml');
  const shown = displayPath(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { ok: false, message: `cannot read ${shown}: the store must describe itself there before articles are imported` };
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    return { ok: false, message: `${shown} is not valid YAML: ${doc.errors[0]?.message ?? 'unknown error'}` };
  }
  if (!isMap(doc.contents)) return { ok: false, message: `${shown} must be a mapping (title, categories, ...)` };
  const categories = doc.get('categories');
  if (categories !== undefined && categories !== null && !isSeq(categories)) {
    return { ok: false, message: `${shown}: categories must be a list` };
  }
  return { ok: true, site: { path: file, doc } };
}

export function declaredCategoryNames(site: SiteFile): string[] {
  const categories = site.doc.get('categories');
  if (!isSeq(categories)) return [];
  return categories.items.flatMap((item) => {
    // A bare string entry is accepted too: it is still a declaration a newsroom might write.
    if (isScalar(item) && typeof item.value === 'string') return [item.value];
    const name: unknown = isMap(item) ? item.get('name') : undefined;
    return typeof name === 'string' ? [name] : [];
  });
}

/** Appends a category with a placeholder description and rewrites site.yaml in place. */
export async function declareCategory(site: SiteFile, name: string): Promise<void> {
  const existing = site.doc.get('categories');
  const categories = isSeq(existing) ? existing : new YAMLSeq();
  if (categories !== existing) site.doc.set('categories', categories);
  const entry = site.doc.createNode({ name, description: `Articles filed under ${name}.` });
  entry.commentBefore = ' Added by `npm run import`: describe this category.';
  categories.add(entry);
  await writeFileAtomically(site.path, Buffer.from(site.doc.toString()));
}
