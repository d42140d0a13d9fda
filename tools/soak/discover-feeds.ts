import { FEED_FILE_NAMES, FEED_FORMATS } from '../../src/domain/documents.ts';
import type { FeedFormat } from '../../src/domain/documents.ts';

export interface SoakFeed {
  /** Path on the service, from the root: "/rss.xml", "/category/world/atom.xml". */
  readonly path: string;
  readonly format: FeedFormat;
}

const XML_URL = /\bxmlUrl="([^"]*)"/g;

function unescapeAttribute(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

export function formatOfPath(path: string): FeedFormat | undefined {
  return FEED_FORMATS.find((format) => path.endsWith(`/${FEED_FILE_NAMES[format]}`));
}

/**
 * The feeds an OPML document lists, as paths only. The URLs in it carry the site's public base URL
 * (the corpus says localhost:3000), not the soak's; keeping only the path means every request goes
 * to the service under test on 127.0.0.1, whatever the document says.
 */
export function feedsOfOpml(opml: string): SoakFeed[] {
  const feeds: SoakFeed[] = [];
  for (const match of opml.matchAll(XML_URL)) {
    const path = new URL(unescapeAttribute(match[1] ?? '')).pathname;
    const format = formatOfPath(path);
    if (format === undefined) throw new Error(`soak: /feeds.opml lists ${path}, which is no feed path`);
    feeds.push({ path, format });
  }
  if (feeds.length === 0) throw new Error('soak: /feeds.opml lists no feeds');
  return feeds;
}

export async function discoverFeeds(serviceUrl: string): Promise<SoakFeed[]> {
  const response = await fetch(`${serviceUrl}/feeds.opml`);
  if (response.status !== 200) throw new Error(`soak: /feeds.opml answered ${response.status}`);
  return feedsOfOpml(await response.text());
}
