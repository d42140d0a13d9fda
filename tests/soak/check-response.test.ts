import { brotliCompressSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FEED_MEDIA_TYPES } from '../../src/domain/documents.ts';
import type { ContentCoding } from '../../src/http/negotiate-encoding.ts';
import { strongEtag } from '../../src/publication/publish-document.ts';
import { createResponseChecker } from '../../tools/soak/check-response.ts';
import type { SoakRequest, Verdict } from '../../tools/soak/check-response.ts';
import { corruptOneResponse } from '../../tools/soak/corrupt-one-response.ts';
import type { RawResponse } from '../../tools/soak/http-get.ts';

const RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>Soak News</title><link>https://news.example.com/</link><description>Stories for the soak test.</description><language>en</language>
<atom:link href="https://news.example.com/rss.xml" rel="self" type="application/rss+xml"/>
<item><title>Harbour plan approved</title><link>https://news.example.com/articles/harbour</link><guid isPermaLink="false">tag:news.example.com,2026:harbour</guid><pubDate>Fri, 20 Nov 2026 09:30:00 GMT</pubDate><description>The council approved the harbour plan after a long debate.</description></item>
</channel></rss>
`;
const IDENTITY = Buffer.from(RSS);
const TAG = strongEtag(IDENTITY);
const feed = { path: '/rss.xml', format: 'rss' } as const;

const codedTag = (coding: ContentCoding): string => (coding === 'identity' ? TAG : `${TAG.slice(0, -1)}-${coding}"`);
const encode = (coding: ContentCoding, bytes: Buffer = IDENTITY): Buffer =>
  coding === 'gzip' ? gzipSync(bytes) : coding === 'br' ? brotliCompressSync(bytes) : bytes;

/** A 200 exactly as the service sends it, with fields to override. */
function ok(coding: ContentCoding, overrides: { body?: Buffer; headers?: Record<string, string | undefined> } = {}): RawResponse {
  const body = overrides.body ?? encode(coding);
  const headers: Record<string, string | undefined> = {
    'content-length': String(body.length),
    'content-type': FEED_MEDIA_TYPES.rss,
    etag: codedTag(coding),
    ...(coding === 'identity' ? {} : { 'content-encoding': coding }),
    ...overrides.headers,
  };
  return { status: 200, headers, body, complete: true, retried: '' };
}

const request = (coding: ContentCoding, ifNoneMatch?: string): SoakRequest => ({ feed, coding, ifNoneMatch });

/** The verdict once the validator has spoken, as the tally counts it. */
async function settle(verdict: Verdict): Promise<{ ok: boolean; reason?: string }> {
  if (!verdict.ok) return { ok: false, reason: verdict.reason };
  if (verdict.status === 304) return { ok: true };
  const problem = await verdict.validation;
  return problem === undefined ? { ok: true } : { ok: false, reason: problem };
}

describe('the soak response checker', () => {
  it('passes a complete, valid body in every coding, tagged with the hash of its decoded bytes', async () => {
    const checker = createResponseChecker();
    for (const coding of ['identity', 'gzip', 'br'] as const) {
      // Twice: the second compressed copy goes through the decoded-body memo.
      for (let round = 0; round < 2; round += 1) {
        const verdict = await checker.check(request(coding), ok(coding));
        expect(await settle(verdict)).toEqual({ ok: true });
        expect(verdict.ok && verdict.status === 200 && verdict.identityEtag).toBe(TAG);
      }
    }
    expect(checker.validatedBodies()).toBe(1);
  });

  it('fails a torn body: fewer bytes than Content-Length, or a compressed stream cut short', async () => {
    const checker = createResponseChecker();
    const short = await checker.check(request('identity'), { ...ok('identity'), body: IDENTITY.subarray(0, 100), complete: false });
    expect(await settle(short)).toEqual({ ok: false, reason: expect.stringMatching(/torn body: 100 bytes of a declared \d+/) });
    const cut = encode('gzip').subarray(0, 60);
    const truncated = await checker.check(request('gzip'), ok('gzip', { body: cut }));
    expect(await settle(truncated)).toEqual({ ok: false, reason: expect.stringMatching(/gzip body does not decode/) });
    const missing = await checker.check(request('identity'), ok('identity', { headers: { 'content-length': undefined } }));
    expect(await settle(missing)).toEqual({ ok: false, reason: expect.stringMatching(/without Content-Length/) });
  });

  it('fails an ETag that does not match the bytes, including a right tag on the wrong coding', async () => {
    const checker = createResponseChecker();
    const changed = Buffer.from(RSS.replace('Harbour plan approved', 'Harbour plan rejected'));
    const wrong = await checker.check(request('identity'), ok('identity', { body: changed }));
    expect(await settle(wrong)).toEqual({ ok: false, reason: expect.stringMatching(/ETag .* does not match the bytes/) });
    const identityTagOnGzip = await checker.check(request('gzip'), ok('gzip', { headers: { etag: TAG } }));
    expect(await settle(identityTagOnGzip)).toEqual({ ok: false, reason: expect.stringMatching(/does not match the bytes/) });
    // The memo of decoded bodies must not let a known body through under another tag.
    const brTagOnGzip = await checker.check(request('gzip'), ok('gzip', { headers: { etag: codedTag('br') } }));
    expect(await settle(brTagOnGzip)).toEqual({ ok: false, reason: expect.stringMatching(/does not match the bytes/) });
  });

  it('fails a body coded other than asked, a wrong media type, and a body that is no valid feed', async () => {
    const checker = createResponseChecker();
    const gzipForBr = await checker.check(request('br'), ok('gzip'));
    expect(await settle(gzipForBr)).toEqual({ ok: false, reason: expect.stringMatching(/Content-Encoding gzip for Accept-Encoding: br/) });
    const html = await checker.check(request('identity'), ok('identity', { headers: { 'content-type': 'text/html' } }));
    expect(await settle(html)).toEqual({ ok: false, reason: expect.stringMatching(/Content-Type text\/html/) });
    const broken = Buffer.from(RSS.replace('</channel>', ''));
    const invalid = await checker.check(request('identity'), ok('identity', { body: broken, headers: { etag: strongEtag(broken) } }));
    expect(await settle(invalid)).toEqual({ ok: false, reason: expect.stringMatching(/invalid feed: .*not well-formed/) });
  });

  it('requires a 304 to answer a conditional request with the tag that was sent, and a 200 not to', async () => {
    const checker = createResponseChecker();
    const notModified = (etag: string | undefined): RawResponse => ({ status: 304, headers: etag ? { etag } : {}, body: Buffer.alloc(0), complete: true, retried: '' });
    expect(await settle(await checker.check(request('gzip', codedTag('gzip')), notModified(codedTag('gzip'))))).toEqual({ ok: true });
    expect(await settle(await checker.check(request('gzip', codedTag('gzip')), notModified(codedTag('br'))))).toEqual({
      ok: false,
      reason: expect.stringMatching(/304 with ETag .* for If-None-Match/),
    });
    expect(await settle(await checker.check(request('gzip'), notModified(codedTag('gzip'))))).toEqual({ ok: false, reason: expect.stringMatching(/unconditional/) });
    const fullAnswerToCurrentTag = await checker.check(request('identity', TAG), ok('identity'));
    expect(await settle(fullAnswerToCurrentTag)).toEqual({ ok: false, reason: expect.stringMatching(/If-None-Match named the current tag/) });
    const serverError: RawResponse = { status: 503, headers: {}, body: Buffer.from('busy'), complete: true, retried: '' };
    expect(await settle(await checker.check(request('identity'), serverError))).toEqual({ ok: false, reason: '/rss.xml (identity): HTTP 503' });
  });

  it('catches the corruption the soak injects to prove it can fail', async () => {
    const checker = createResponseChecker();
    const corruption = corruptOneResponse(1);
    const first = corruption.apply(request('identity'), ok('identity'));
    expect(await settle(await checker.check(request('identity'), first))).toEqual({ ok: true });
    const second = corruption.apply(request('identity'), ok('identity'));
    expect(second.body.length).toBe(IDENTITY.length);
    expect(await settle(await checker.check(request('identity'), second))).toEqual({ ok: false, reason: expect.stringMatching(/does not match the bytes/) });
    expect(corruption.injected()).toBe(1);
    const third = corruption.apply(request('identity'), ok('identity'));
    expect(third.body.equals(IDENTITY)).toBe(true);
  });
});
