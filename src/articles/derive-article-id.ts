/**
 * The id of an article whose front matter has none: its store-relative path without the
 * extension ("world/pakistan-diplomacy.md" -> "world/pakistan-diplomacy"). Stable while the file
 * keeps its name and folder; renaming or moving the file changes it (feed readers then see a new
 * story), which is why the importer always writes an explicit `id`.
 */
export function deriveArticleId(sourcePath: string): string {
  return sourcePath.replace(/\.(md|markdown)$/i, '');
}
