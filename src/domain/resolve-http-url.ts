/**
 * An absolute http(s) URL for `text`, or undefined when it is not one (other schemes such as
 * `javascript:`, `data:` or `mailto:` included). With `baseUrl`, relative references are
 * resolved against it as if it were a folder: "img/a.jpg" on "https://x.example/news" gives
 * "https://x.example/news/img/a.jpg", and "/img/a.jpg" gives "https://x.example/img/a.jpg".
 */
export function resolveHttpUrl(text: string, baseUrl?: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  let url: URL;
  try {
    url = baseUrl === undefined ? new URL(trimmed) : new URL(trimmed, `${baseUrl}/`);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return url.href;
}
