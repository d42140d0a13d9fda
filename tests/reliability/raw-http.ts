import { connect } from 'node:net';
import type { Socket } from 'node:net';

/**
 * HTTP/1.1 spoken byte by byte over node:net, so that tests can send what no HTTP client would
 * (bad request lines, raw control bytes, unterminated headers) and see exactly what comes back.
 */
export interface RawResponse {
  readonly statusLine: string;
  readonly status: number;
  /** Lower-case names; a repeated header keeps its values in order. */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  readonly body: Buffer;
}

export interface Exchange {
  /** Every complete response, in order. */
  readonly responses: readonly RawResponse[];
  /** Bytes after the last complete response: anything here is a malformed answer. */
  readonly trailing: Buffer;
  /** True when the server closed (or reset) the connection; false when we gave up waiting. */
  readonly closedByServer: boolean;
}

const STATUS_LINE = /^HTTP\/1\.[01] (\d{3}) [\t\x20-\x7e\x80-\xff]*$/;
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[\t ]*([\t\x20-\x7e\x80-\xff]*?)[\t ]*$/;

export class MalformedResponse extends Error {}

function bodyless(status: number, method: string): boolean {
  return method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200);
}

/** Reads one response at `from`; undefined when the bytes end before it does (never when it is malformed: that throws). */
function parseOne(bytes: Buffer, from: number, method: string, atEnd: boolean): { response: RawResponse; next: number } | undefined {
  const headEnd = bytes.indexOf('\r\n\r\n', from, 'latin1');
  if (headEnd === -1) {
    if (atEnd && bytes.length > from) throw new MalformedResponse(`incomplete head: ${JSON.stringify(bytes.subarray(from, from + 200).toString('latin1'))}`);
    return undefined;
  }
  const [statusLine = '', ...headerLines] = bytes.subarray(from, headEnd).toString('latin1').split('\r\n');
  const statusMatch = STATUS_LINE.exec(statusLine);
  if (!statusMatch) throw new MalformedResponse(`bad status line ${JSON.stringify(statusLine)}`);
  const status = Number(statusMatch[1]);
  const headers = new Map<string, string[]>();
  for (const line of headerLines) {
    const match = HEADER_LINE.exec(line);
    if (!match) throw new MalformedResponse(`bad header line ${JSON.stringify(line)}`);
    const name = (match[1] ?? '').toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), match[2] ?? '']);
  }
  let cursor = headEnd + 4;
  const contentLength = headers.get('content-length');
  const chunked = headers.get('transfer-encoding')?.some((value) => /(^|,)\s*chunked\s*$/i.test(value)) ?? false;
  if (bodyless(status, method)) return { response: { statusLine, status, headers, body: Buffer.alloc(0) }, next: cursor };
  if (chunked) {
    const chunks: Buffer[] = [];
    for (;;) {
      const sizeEnd = bytes.indexOf('\r\n', cursor, 'latin1');
      if (sizeEnd === -1) return atEnd ? fail('chunk size line cut off') : undefined;
      const sizeText = bytes.subarray(cursor, sizeEnd).toString('latin1').split(';')[0]?.trim() ?? '';
      if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw new MalformedResponse(`bad chunk size ${JSON.stringify(sizeText)}`);
      const size = Number.parseInt(sizeText, 16);
      cursor = sizeEnd + 2;
      if (size === 0) {
        const end = bytes.indexOf('\r\n\r\n', cursor - 2, 'latin1');
        if (end === -1) return atEnd ? fail('chunked trailer cut off') : undefined;
        return { response: { statusLine, status, headers, body: Buffer.concat(chunks) }, next: end + 4 };
      }
      if (bytes.length < cursor + size + 2) return atEnd ? fail('chunk cut off') : undefined;
      chunks.push(bytes.subarray(cursor, cursor + size));
      if (bytes.toString('latin1', cursor + size, cursor + size + 2) !== '\r\n') throw new MalformedResponse('chunk not followed by CRLF');
      cursor += size + 2;
    }
  }
  if (contentLength !== undefined) {
    if (contentLength.length !== 1 || !/^\d+$/.test(contentLength[0] ?? '')) throw new MalformedResponse(`bad Content-Length ${JSON.stringify(contentLength)}`);
    const length = Number(contentLength[0]);
    if (bytes.length < cursor + length) return atEnd ? fail(`body shorter than Content-Length ${length}`) : undefined;
    return { response: { statusLine, status, headers, body: bytes.subarray(cursor, cursor + length) }, next: cursor + length };
  }
  // Neither: the body runs to the end of the connection.
  return atEnd ? { response: { statusLine, status, headers, body: bytes.subarray(cursor) }, next: bytes.length } : undefined;
}

function fail(reason: string): never {
  throw new MalformedResponse(reason);
}

/** Splits what a server sent into responses; `methods` says which requests they answer (for HEAD). */
export function parseResponses(bytes: Buffer, methods: readonly string[], atEnd = true): { responses: RawResponse[]; trailing: Buffer } {
  const responses: RawResponse[] = [];
  let cursor = 0;
  while (cursor < bytes.length) {
    const parsed = parseOne(bytes, cursor, methods[responses.length] ?? 'GET', atEnd);
    if (!parsed) break;
    responses.push(parsed.response);
    cursor = parsed.next;
  }
  return { responses, trailing: bytes.subarray(cursor) };
}

export interface ExchangeOptions {
  /** Request methods in order, when some are HEAD (their responses have no body). */
  readonly methods?: readonly string[];
  /** Give up and close our side after this long. */
  readonly timeoutMs?: number;
}

/** Opens a connection, writes `request`, and collects everything until the server closes it. */
export function exchange(port: number, request: Buffer | string, options: ExchangeOptions = {}): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let closedByServer = true;
    const timer = setTimeout(() => {
      closedByServer = false;
      socket.destroy();
    }, options.timeoutMs ?? 5000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A reset after the server's answer (it closes with our unread bytes pending) is still a close.
    socket.on('error', () => undefined);
    socket.once('close', () => {
      clearTimeout(timer);
      try {
        const { responses, trailing } = parseResponses(Buffer.concat(chunks), options.methods ?? []);
        resolve({ responses, trailing, closedByServer });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.once('connect', () => {
      socket.write(request);
    });
  });
}
