import path from 'node:path';

/**
 * How a file is named in problems and logs: relative to the working directory when it lies
 * inside it ("content/world/x.md", which is what a newsroom sees in its editor), else absolute.
 */
export function displayPath(absolutePath: string, cwd: string = process.cwd()): string {
  const relative = path.relative(cwd, absolutePath);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return absolutePath;
  return relative.split(path.sep).join('/');
}
