const LINKABLE_PROTOCOLS = new Set(['http:', 'https:']);

/**
 * The URL to put in an href, or undefined when the value is not an absolute http(s) URL.
 * Author and publisher URLs come from front matter; escaping alone would still let
 * `javascript:` through as a working link.
 */
export function linkableUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return undefined;
  }
  return LINKABLE_PROTOCOLS.has(parsed.protocol) ? parsed.href : undefined;
}
