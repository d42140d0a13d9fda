/**
 * The paths among `storePaths` ("world", "world/x.md") that no other one lies under: a folder
 * is listed with everything in it, so a path inside it adds nothing but a second visit.
 */
export function outermostPaths(storePaths: readonly string[]): string[] {
  const all = new Set(storePaths);
  return [...all].filter((storePath) => {
    for (let slash = storePath.indexOf('/'); slash !== -1; slash = storePath.indexOf('/', slash + 1)) {
      if (all.has(storePath.slice(0, slash))) return false;
    }
    return true;
  });
}
