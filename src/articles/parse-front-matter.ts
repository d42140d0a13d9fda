import matter from 'gray-matter';
import type { YamlResult, YamlValue } from '../store/parse-yaml-strictly.ts';
import { parseYamlStrictly } from '../store/parse-yaml-strictly.ts';

export type FrontMatterResult =
  | { readonly ok: true; readonly fields: Readonly<Record<string, YamlValue>>; readonly body: string }
  /** `message` is a sentence for Problem.message (what is wrong, then the fix). */
  | { readonly ok: false; readonly message: string };

const NOT_YAML = 'front matter must be YAML and open with a line containing only "---": remove what follows "---" on the first line';

class NonYamlFrontMatter extends Error {}

const EXAMPLE = 'a line "---", the fields (title, category, published), and another line "---"';

/**
 * Splits an article into its YAML front matter and Markdown body. Expects text as the store
 * reader returns it (LF line endings, no BOM).
 */
export function parseFrontMatter(text: string): FrontMatterResult {
  const opening = /^---[ \t]*\n/.exec(text);
  if (!opening) {
    if (/^---\S/.test(text)) {
      // gray-matter would pick another engine from "---js" (and `eval` the block).
      return { ok: false, message: NOT_YAML };
    }
    return { ok: false, message: `has no front matter: start the file with ${EXAMPLE}` };
  }
  // gray-matter ends the block at the first "\n---", so check that this is a real closing line.
  const closing = text.indexOf('\n---', opening[0].length - 1);
  if (closing === -1) {
    return { ok: false, message: 'front matter is not closed (the file may still be being written): add a line containing only "---" after the fields' };
  }
  const closingLine = text.slice(closing + 1, nextLineEnd(text, closing + 1));
  if (!/^---[ \t]*$/.test(closingLine)) {
    const lineNumber = text.slice(0, closing + 1).split('\n').length;
    return { ok: false, message: `front matter is not closed properly: line ${lineNumber} "${closingLine.slice(0, 40)}" starts with "---"; close the fields with a line containing only "---"` };
  }

  const headEnd = nextLineEnd(text, closing + 1);
  const body = text.slice(headEnd + 1);

  let yaml: YamlResult | undefined;
  const refuse = (): object => {
    throw new NonYamlFrontMatter();
  };
  // gray-matter gets only the front matter block, never the body: it looks its cache up with the
  // whole input as a property key, even when options are passed, and V8 spends milliseconds
  // per call on that for a 30 KB article. Options are always passed so that it does not also
  // store every file in that module-level cache (a leak across 100,000 articles, and state
  // shared between callers). The engines capture this call's result; non-YAML ones are refused
  // (the first-line check above already keeps gray-matter from choosing one).
  try {
    matter(text.slice(0, headEnd), {
      language: 'yaml',
      excerpt: false,
      engines: { yaml: (source: string) => ((yaml = parseYamlStrictly(source)), {}), javascript: refuse, json: refuse, coffee: refuse },
    });
  } catch (error) {
    if (error instanceof NonYamlFrontMatter) return { ok: false, message: NOT_YAML };
    throw new Error('articles: unexpected failure splitting front matter', { cause: error });
  }

  if (yaml === undefined) {
    // gray-matter skips the engine for a block that is empty or only comments.
    return { ok: true, fields: {}, body };
  }
  if (!yaml.ok) {
    // gray-matter hands over the block from just after the opening "---" (its line end
    // included), so the parser's line numbers are already the file's.
    const where = yaml.error.line === undefined ? '' : ` (line ${yaml.error.line}, column ${yaml.error.column})`;
    return { ok: false, message: `front matter is not valid YAML${where}: ${yaml.error.reason}; fix the YAML or quote the value` };
  }
  const value = yaml.value;
  if (value === null) return { ok: true, fields: {}, body };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, message: 'front matter must be a set of "field: value" lines, not a single value or a list' };
  }
  return { ok: true, fields: value, body };
}

function nextLineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end === -1 ? text.length : end;
}
