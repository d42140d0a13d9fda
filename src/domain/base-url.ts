/** A base URL ready for `${base}/path`, or why the text cannot be one. */
export type BaseUrlResult = { readonly ok: true; readonly url: string } | { readonly ok: false; readonly reason: string };

/**
 * Checks a site's base URL and normalises it: "https://x.example/news/" -> "https://x.example/news".
 * Every public URL is the base with a path appended, so anything after the path (a query or a
 * fragment, even an empty "?" or "#") would swallow the appended path, and credentials would be
 * published in every link.
 */
export function normaliseBaseUrl(text: string): BaseUrlResult {
  const trimmed = text.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, reason: 'is not an absolute URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'must start with http:// or https://' };
  // URL keeps an empty "?" or "#" in href although search and hash are then "".
  if (url.href.includes('?') || url.href.includes('#')) return { ok: false, reason: 'has a query or fragment ("?" or "#"), which cannot start a path' };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'carries a user name or password, which would be published in every link' };
  return { ok: true, url: url.href.replace(/\/+$/, '') };
}

export const BASE_URL_EXAMPLE = 'https://news.example.com or https://www.example.com/feeds';
