import { parseDocument } from 'yaml';

/** Plain data as YAML can express it once the risky parts are refused. */
export type YamlValue = string | number | bigint | boolean | null | YamlValue[] | { [key: string]: YamlValue };

export interface YamlError {
  /** One sentence, without position. */
  readonly reason: string;
  /** 1-based, relative to the parsed text, when the parser knows it. */
  readonly line?: number;
  readonly column?: number;
}

export type YamlResult = { readonly ok: true; readonly value: YamlValue } | { readonly ok: false; readonly error: YamlError };

/**
 * Legitimate front matter and site files use few anchors; a low cap makes "billion laughs"
 * documents fail before they expand.
 */
const MAX_ALIAS_COUNT = 16;

/**
 * Parses YAML that newsroom staff and importers write, for site.yaml and article front matter.
 *
 * - core schema, so `2026-11-23T09:00:00Z` stays a string (dates are parsed by us, with offsets);
 * - YAML 1.1 tags (`!!timestamp`, `!!binary`, `!!set`, ...) and custom tags (`!!js/function`,
 *   `!foo`) are refused rather than silently read as strings;
 * - duplicate keys are refused (which of the two values was meant is not ours to guess);
 * - integers become bigint so that long numeric ids keep every digit.
 */
export function parseYamlStrictly(text: string): YamlResult {
  const doc = parseDocument(text, {
    version: '1.2',
    schema: 'core',
    resolveKnownTags: false,
    uniqueKeys: true,
    intAsBigInt: true,
    strict: true,
    prettyErrors: true,
  });
  const first = doc.errors[0] ?? doc.warnings[0];
  if (first) {
    const position = first.linePos?.[0];
    return {
      ok: false,
      error: {
        reason: reasonOf(first.message),
        ...(position ? { line: position.line, column: position.col } : {}),
      },
    };
  }
  let js: unknown;
  try {
    // mapAsMap so that a collection used as a key is seen (and refused below) instead of being
    // stringified with a process warning.
    js = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT, mapAsMap: true });
  } catch (error) {
    if (error instanceof ReferenceError) {
      // Thrown for alias bombs and for aliases to anchors that do not exist.
      return { ok: false, error: { reason: reasonOf(error.message) } };
    }
    throw new Error('store: unexpected failure converting YAML', { cause: error });
  }
  return toPlain(js);
}

/** yaml's messages end with " at line 3, column 5:" followed by a source excerpt; we keep the sentence. */
function reasonOf(message: string): string {
  const firstLine = message.split('\n', 1)[0] ?? message;
  return firstLine.replace(/ at line \d+, column \d+:?\s*$/, '').replace(/[.:]\s*$/, '');
}

function toPlain(value: unknown): YamlResult {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return { ok: true, value };
  }
  if (Array.isArray(value)) {
    const items: YamlValue[] = [];
    for (const item of value) {
      const converted = toPlain(item);
      if (!converted.ok) return converted;
      items.push(converted.value);
    }
    return { ok: true, value: items };
  }
  if (value instanceof Map) {
    const object: { [key: string]: YamlValue } = {};
    for (const [key, item] of value) {
      if (key !== null && typeof key === 'object') {
        return { ok: false, error: { reason: 'A list or mapping cannot be used as a key' } };
      }
      const converted = toPlain(item);
      if (!converted.ok) return converted;
      // defineProperty, not assignment: a `__proto__` key must stay an ordinary (ignored) field.
      Object.defineProperty(object, String(key), { value: converted.value, enumerable: true, writable: true, configurable: true });
    }
    return { ok: true, value: object };
  }
  // Cannot happen with resolveKnownTags off (no Date, Buffer or Set); refuse rather than pass through.
  return { ok: false, error: { reason: `Unsupported YAML value of type ${typeof value}` } };
}
