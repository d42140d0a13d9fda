import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.ts';
import { strongEtag } from '../../src/publication/publish-document.ts';
import type { Snapshot } from '../../src/publication/snapshot.ts';
import { validateFeedText } from '../../src/validation/validate-feed-text.ts';
import type { RunningWirefeed } from '../../src/wirefeed.ts';
import { startWirefeed } from '../../src/wirefeed.ts';
import { readXml } from '../fixtures/articles/read-xml-with-saxes.ts';
import type { Exchange, RawResponse } from './raw-http.ts';
import { exchange, parseResponses } from './raw-http.ts';

/**
 * Raw bytes over TCP against the real service: requests no HTTP client would send, each of which
 * must get a well-formed answer (a 4xx, or the normal 200/3xx/304) or, for bytes that are not
 * HTTP at all, a closed connection; never a 5xx, a stack trace or a byte from outside the
 * snapshot. A reader polls throughout and must be answered correctly every time.
 */
const SECRET = 'WIREFEED-SECRET-7f3a9c';
/** What a leaked file or a leaked error would contain. */
const LEAKS = [SECRET, 'root:x:0:0', '"devDependencies"', 'startWirefeed', 'node:internal', /\n\s+at [^\n]+:\d+:\d+/, /\/src\/[\w/-]+\.ts/];

let root: string;
let running: RunningWirefeed;
let snapshot: Snapshot;
const errorLogs: unknown[] = [];

interface Case {
  readonly name: string;
  readonly request: string | Buffer;
  /** Statuses that count as the right answer to a single request. */
  readonly statuses?: readonly number[];
  /** For pipelined requests: the exact statuses, in order. */
  readonly pipeline?: readonly number[];
  /** Node may cut the connection without an answer (after its own 400/431, or for bytes that are not HTTP). */
  readonly mayCloseSilently?: boolean;
  readonly methods?: readonly string[];
}

const line = (requestLine: string, headers: readonly string[] = ['Host: 127.0.0.1']): string =>
  `${requestLine}\r\n${[...headers, 'Accept-Encoding: identity', 'Connection: close'].map((header) => `${header}\r\n`).join('')}\r\n`;
const get = (target: string, ...headers: string[]): string => line(`GET ${target} HTTP/1.1`, ['Host: 127.0.0.1', ...headers]);

const CASES: readonly Case[] = [
  // Request lines Node's parser refuses itself.
  { name: 'lower-case method', request: line('get /rss.xml HTTP/1.1'), statuses: [400] },
  { name: 'made-up method', request: line('FROB /rss.xml HTTP/1.1'), statuses: [400] },
  { name: 'unknown HTTP version', request: line('GET /rss.xml HTTP/9.9'), statuses: [400] },
  { name: 'no Host on HTTP/1.1', request: `GET /rss.xml HTTP/1.1\r\nConnection: close\r\n\r\n`, statuses: [400] },
  { name: 'bare LF line ends', request: 'GET /rss.xml HTTP/1.1\nHost: x\nConnection: close\n\n', statuses: [400] },
  { name: 'obsolete header folding', request: get('/rss.xml', 'X-Folded: a', ' b'), statuses: [400] },
  { name: 'raw NUL in the path', request: get('/rss.xml\u0000.txt'), statuses: [400] },
  { name: 'raw controls in the path', request: get('/rss\u0001\u001b[2J.xml'), statuses: [400] },
  { name: 'NUL in a header value', request: get('/rss.xml', 'X-Evil: a\u0000b'), statuses: [400] },
  { name: 'control byte in a header value', request: get('/rss.xml', 'X-Evil: a\u0007b'), statuses: [400] },
  { name: 'Content-Length with Transfer-Encoding (smuggling)', request: line('POST /rss.xml HTTP/1.1', ['Host: x', 'Content-Length: 4', 'Transfer-Encoding: chunked']), statuses: [400] },
  { name: 'HTTP/2 preface', request: 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', statuses: [400], mayCloseSilently: true },
  { name: 'TLS client hello', request: Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03, ...Array<number>(32).fill(0x42)]), statuses: [400], mayCloseSilently: true },
  { name: 'line noise', request: Buffer.from('\u0000\u0001\u0002 \r\n\r\n\u00ff\u00fe garbage\r\n\r\n', 'latin1'), statuses: [400], mayCloseSilently: true },
  { name: 'header over 16 KB', request: get('/rss.xml', `X-Big: ${'a'.repeat(17 * 1024)}`), statuses: [431] },
  { name: 'header over 80 KB', request: get('/rss.xml', `X-Big: ${'a'.repeat(81 * 1024)}`), statuses: [431], mayCloseSilently: true },
  { name: 'a thousand small headers', request: get('/rss.xml', ...Array.from({ length: 1000 }, (_, i) => `X-H${i}: ${i}`)), statuses: [200] },
  { name: 'path of 100 KB', request: get(`/${'a'.repeat(100 * 1024)}`), statuses: [431], mayCloseSilently: true },
  // Methods that reach the app.
  { name: 'PROPFIND', request: line('PROPFIND /rss.xml HTTP/1.1'), statuses: [405] },
  { name: 'TRACE', request: line('TRACE /rss.xml HTTP/1.1'), statuses: [405] },
  { name: 'DELETE', request: line('DELETE /category/world/atom.xml HTTP/1.1'), statuses: [405] },
  { name: 'POST with a body', request: `POST /feed.json HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{"a":"b"}\r\n`, statuses: [405] },
  { name: 'OPTIONS *', request: line('OPTIONS * HTTP/1.1'), statuses: [400] },
  { name: 'CONNECT', request: line('CONNECT 127.0.0.1:22 HTTP/1.1'), statuses: [400, 405], mayCloseSilently: true },
  { name: 'HEAD', request: line('HEAD /rss.xml HTTP/1.1'), statuses: [200], methods: ['HEAD'] },
  // Paths that try to leave the snapshot.
  { name: 'raw dot-dot segments', request: get('/../../../etc/passwd'), statuses: [400] },
  { name: 'encoded dot-dot segments', request: get('/%2e%2e/%2E%2E/etc/passwd'), statuses: [400] },
  { name: 'encoded slashes', request: get('/category/..%2f..%2f..%2fpackage.json'), statuses: [400] },
  { name: 'backslashes', request: get('/..\\..\\package.json'), statuses: [400] },
  { name: 'double-encoded dot-dot', request: get('/%252e%252e/%252e%252e/package.json'), statuses: [404] },
  { name: 'overlong UTF-8 dots', request: get('/articles/%C0%AE%C0%AE/%C0%AE%C0%AE/package.json'), statuses: [400] },
  { name: 'dot-dot in an article slug', request: get('/articles/..%2F..%2Fsrc%2Fmain.ts'), statuses: [400] },
  { name: 'absolute form with dot-dot', request: get('http://127.0.0.1/%2e%2e/package.json'), statuses: [400] },
  { name: 'file: URL as target', request: get('file:///etc/passwd'), statuses: [400] },
  { name: 'source file by name', request: get('/src/main.ts'), statuses: [404] },
  { name: 'output manifest by name', request: get('/.wirefeed-manifest.json'), statuses: [404] },
  { name: 'encoded NUL', request: get('/rss.xml%00.html'), statuses: [400] },
  { name: 'encoded CRLF (header injection)', request: get('/%0d%0aSet-Cookie:%20x=1'), statuses: [400] },
  { name: 'malformed percent-encoding', request: get('/%zz%'), statuses: [400] },
  { name: 'fragment in the target', request: get('/rss.xml#top'), statuses: [400] },
  { name: 'path of 3,000 characters', request: get(`/${'a/'.repeat(1500)}`), statuses: [414] },
  { name: 'percent-encoded canonical path', request: get('/%72%73%73.xml'), statuses: [200] },
  { name: 'percent-encoded category path', request: get('/category/%67eneral-news/feed.json'), statuses: [200, 301, 308] },
  { name: 'other case', request: get('/RSS.XML'), statuses: [301, 308] },
  { name: 'odd Host header', request: get('/category/General-News/', 'Host: evil.example'), statuses: [301, 308] },
  // Bogus conditional and negotiation headers: the normal answer.
  { name: 'bogus If-None-Match', request: get('/rss.xml', `If-None-Match: "unterminated, W/, ***, ${'"x",'.repeat(500)}`), statuses: [200] },
  { name: 'If-None-Match of control-free junk', request: get('/atom.xml', 'If-None-Match: W/W/W/""""'), statuses: [200] },
  { name: 'impossible If-Modified-Since', request: get('/rss.xml', 'If-Modified-Since: Tue, 99 Foo 99999 99:99:99 GMT'), statuses: [200] },
  { name: 'If-Modified-Since far in the future', request: get('/rss.xml', 'If-Modified-Since: Fri, 31 Dec 9999 23:59:59 GMT'), statuses: [200, 304] },
  { name: 'If-Modified-Since of a number', request: get('/feed.json', `If-Modified-Since: ${'9'.repeat(400)}`), statuses: [200] },
  { name: 'bogus Accept-Encoding weights', request: get('/rss.xml', 'Accept-Encoding: br;q=banana, gzip;q=2, *;q=-1'), statuses: [200] },
  { name: 'Accept-Encoding refusing everything', request: get('/rss.xml', 'Accept-Encoding: identity;q=0, *;q=0'), statuses: [406] },
  { name: 'huge Accept-Encoding', request: get('/rss.xml', `Accept-Encoding: ${'x-unknown;q=0.5, '.repeat(800)}gzip`), statuses: [200] },
  { name: 'Range request', request: get('/rss.xml', 'Range: bytes=0-10,-5,999999999-'), statuses: [200, 206, 416] },
  // HTTP/1.0 and pipelining.
  { name: 'HTTP/1.0 without Host', request: 'GET /rss.xml HTTP/1.0\r\nAccept-Encoding: identity\r\n\r\n', statuses: [200] },
  {
    name: 'three pipelined requests, one hostile',
    request: `GET /rss.xml HTTP/1.1\r\nHost: x\r\nAccept-Encoding: identity\r\n\r\nGET /%2e%2e/x HTTP/1.1\r\nHost: x\r\n\r\n${get('/atom.xml')}`,
    pipeline: [200, 400, 200],
  },
];

function findLeak(body: Buffer): string | undefined {
  const text = body.toString('latin1');
  for (const leak of LEAKS) {
    if (typeof leak === 'string' ? text.includes(leak) : leak.test(text)) return String(leak);
  }
  return undefined;
}

/** A 200 with a body must be a snapshot document, byte for byte once decoded, with its ETag. */
function checkServedDocument(response: RawResponse): void {
  if (response.status !== 200 || response.body.length === 0) return;
  const coding = response.headers.get('content-encoding')?.join(',');
  const body = coding === 'gzip' ? gunzipSync(response.body) : coding === 'br' ? brotliDecompressSync(response.body) : response.body;
  const document = [...snapshot.documents.values()].find((candidate) => candidate.body.equals(body));
  expect(document, 'a 200 body that is no snapshot document').toBeDefined();
  // The identity tag, or the same tag marked with the coding.
  expect(response.headers.get('etag')?.[0]?.startsWith(strongEtag(body).slice(0, -1))).toBe(true);
}

function checkExchange(testCase: Case, result: Exchange): void {
  expect(result.closedByServer, 'the server left a Connection: close request hanging').toBe(true);
  expect(result.trailing.length, 'bytes after the last complete response').toBe(0);
  if (result.responses.length === 0 && testCase.mayCloseSilently) return;
  const statuses = result.responses.map((response) => response.status);
  if (testCase.pipeline) expect(statuses).toEqual(testCase.pipeline);
  else expect(statuses).toHaveLength(1);
  if (testCase.statuses) expect(testCase.statuses).toContain(statuses[0]);
  for (const response of result.responses) {
    expect(findLeak(response.body)).toBeUndefined();
    for (const values of response.headers.values()) for (const value of values) expect(findLeak(Buffer.from(value, 'latin1'))).toBeUndefined();
    checkServedDocument(response);
  }
}

/** A reader polling throughout: every answer must be the current document, complete. */
function startPoller(): { stop(): Promise<{ ok: number; failures: string[] }> } {
  let running_ = true;
  let ok = 0;
  const failures: string[] = [];
  const loop = (async () => {
    const paths = ['/rss.xml', '/category/general-news/atom.xml', '/feed.json'];
    for (let round = 0; running_; round += 1) {
      const target = paths[round % paths.length] ?? '/rss.xml';
      try {
        const result = await exchange(running.port, get(target), { timeoutMs: 10_000 });
        const response = result.responses[0];
        const expected = snapshot.documents.get(target.slice(1));
        if (response?.status === 200 && expected && response.body.equals(expected.body)) ok += 1;
        else failures.push(`${target}: ${response?.statusLine ?? 'no answer'}`);
      } catch (error) {
        failures.push(`${target}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  })();
  return {
    async stop() {
      running_ = false;
      await loop;
      return { ok, failures };
    },
  };
}

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'wirefeed-hostile-requests-'));
  await cp(path.resolve('content'), path.join(root, 'content'), { recursive: true });
  // Bait beside the store and inside the output folder: no request may ever reach either.
  await writeFile(path.join(root, 'secret.txt'), `${SECRET}\n`);
  // The hostile requests and the reader all come from 127.0.0.1, one client to RATE_LIMIT: this is about parsing, not budgets.
  const config = readConfig({ CONTENT_DIR: path.join(root, 'content'), OUTPUT_DIR: path.join(root, 'public'), PORT: '0', HOST: '127.0.0.1', RATE_LIMIT: 'off' }, root);
  const logger = pino({ level: 'error' }, { write: (entry: string) => void errorLogs.push(JSON.parse(entry)) });
  running = await startWirefeed(config, logger);
  await writeFile(path.join(root, 'public', 'secret.txt'), `${SECRET}\n`);
  const current = running.current();
  if (!current) throw new Error('no snapshot after start');
  snapshot = current;
});

afterAll(async () => {
  await running?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('hostile requests', () => {
  it('answers every one with a well-formed 4xx or the normal answer, or closes on bytes that are not HTTP, while a reader keeps being served', async () => {
    const poller = startPoller();
    for (const testCase of CASES) {
      const result = await exchange(running.port, testCase.request, testCase.methods ? { methods: testCase.methods } : {});
      try {
        checkExchange(testCase, result);
      } catch (error) {
        throw new Error(`${testCase.name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    }
    // The same requests all at once, as a scanner sends them.
    const results = await Promise.all(CASES.map((testCase) => exchange(running.port, testCase.request, testCase.methods ? { methods: testCase.methods } : {})));
    results.forEach((result, index) => {
      const testCase = CASES[index];
      if (testCase) checkExchange(testCase, result);
    });
    const polled = await poller.stop();
    expect(polled.failures).toEqual([]);
    expect(polled.ok).toBeGreaterThan(10);
  });

  it('keeps answering others while slow clients trickle partial requests, and answers a slow one that finishes', async () => {
    const poller = startPoller();
    const slow = await Promise.all(Array.from({ length: 60 }, () => openSocket(running.port)));
    for (const socket of slow) socket.on('error', () => undefined);
    const received: Buffer[] = [];
    const finisher = slow[0];
    if (!finisher) throw new Error('no socket');
    finisher.on('data', (chunk: Buffer) => received.push(chunk));
    const finisherClosed = new Promise<void>((resolve) => finisher.once('close', () => resolve()));
    slow.forEach((socket, index) => socket.write(index % 3 === 2 ? 'GE' : 'GET /rss.xml HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
    // About two seconds of one byte per socket per 100 ms: bounded, and long enough to overlap many polls.
    const header = 'X-Slow: ' + 'z'.repeat(19) + '\r\n';
    for (let tick = 0; tick < 20; tick += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      for (const [index, socket] of slow.entries()) if (index % 3 !== 2 && !socket.destroyed) socket.write(header.charAt(tick % header.length));
    }
    const polled = await poller.stop();
    expect(polled.failures).toEqual([]);
    expect(polled.ok).toBeGreaterThan(5);

    // The first trickled "X-Slow: zzz…" twenty bytes; finish its line and the request.
    finisher.write(`${header.slice(20 % header.length)}Accept-Encoding: identity\r\nConnection: close\r\n\r\n`);
    await finisherClosed;
    const { responses, trailing } = parseResponses(Buffer.concat(received), ['GET']);
    expect(trailing.length).toBe(0);
    expect(responses.map((response) => response.status)).toEqual([200]);
    expect(responses[0]?.body.equals(snapshot.documents.get('rss.xml')?.body ?? Buffer.alloc(0))).toBe(true);
    for (const socket of slow) socket.destroy();
  });

  it('afterwards still serves every feed correctly, with working conditional requests, and logged no server error', async () => {
    for (const document of snapshot.documents.values()) {
      if (!/(^|\/)(rss\.xml|atom\.xml|feed\.json)$/.test(document.path)) continue;
      const response = await fetch(new URL(`/${document.path}`, running.url));
      expect(response.status, document.path).toBe(200);
      const text = await response.text();
      expect(text).toBe(document.body.toString('utf8'));
      expect(validateFeedText(text, { now: Date.now(), subject: document.path })).toEqual([]);
      if (document.path.endsWith('.xml')) readXml(text);
      const etag = response.headers.get('etag') ?? '';
      expect(etag.startsWith(document.etag.slice(0, -1))).toBe(true);
      const again = await fetch(new URL(`/${document.path}`, running.url), { headers: { 'if-none-match': etag } });
      expect(again.status, document.path).toBe(304);
    }
    const health = await fetch(new URL('/healthz', running.url));
    expect(health.status).toBe(200);
    expect(errorLogs).toEqual([]);
  });
});
