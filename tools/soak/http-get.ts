import { request } from 'node:http';
import type { Agent, IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';

/** A response as it came off the wire: the body is still content-coded. */
export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** Node's own judgement that the whole message arrived. */
  readonly complete: boolean;
  /** Why the first attempt, on a kept-alive connection, died before any response byte; '' when it did not. */
  readonly retried: string;
}

export interface GetTarget {
  readonly port: number;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly agent: Agent;
  readonly timeoutMs: number;
  /** How late the caller's event loop has recently been (see loop-lag.ts); 0 when unknown. */
  readonly lagMs?: () => number;
}

interface LastUse {
  /** performance.now() when the connection finished its last response. */
  readonly at: number;
  /** The idle time the server announced in `Keep-Alive: timeout=N`, if any. */
  readonly keepAliveMs: number | undefined;
}

/** What each connection did last, to tell a closed idle connection from a server that dropped a busy one. */
const lastUse = new WeakMap<Socket, LastUse>();

function announcedKeepAliveMs(header: string | string[] | undefined): number | undefined {
  const seconds = typeof header === 'string' ? /\btimeout=(\d+)/.exec(header)?.[1] : undefined;
  return seconds === undefined ? undefined : Number(seconds) * 1000;
}

/**
 * Node's agent drops an idle connection a second before the server's announced timeout, but
 * only if its own event loop gets round to it; a soak that keeps one core busy is often late.
 * The server started counting when it sent the last byte, which the client may have read only
 * `lag` later. So a connection idle for at least timeout − 1 s, by that reckoning, may have been
 * closed by the server as promised. One idle for less was dropped while the server had said it
 * would keep it (its event loop held up past its own timeout, say): that is an error.
 */
const AGENT_MARGIN_MS = 1000;
function mayHaveExpired(last: LastUse | undefined, idleMs: number): boolean {
  return last !== undefined && (last.keepAliveMs === undefined || idleMs >= last.keepAliveMs - AGENT_MARGIN_MS);
}

/** How long the server may have seen a connection idle, at most; NaN for a new connection. */
export function serverIdleMs(socket: Socket, lagMs: number): number {
  const last = lastUse.get(socket);
  return last === undefined ? Number.NaN : performance.now() - last.at + lagMs;
}

class StaleConnectionError extends Error {}

function attempt(target: GetTarget): Promise<Omit<RawResponse, 'retried'>> {
  return new Promise((resolve, reject) => {
    let responded = false;
    let idleMs = Number.NaN;
    let last: LastUse | undefined;
    let connection: Socket | undefined;
    const outgoing = request({ host: '127.0.0.1', port: target.port, path: target.path, method: 'GET', headers: target.headers, agent: target.agent }, (incoming) => {
      responded = true;
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.once('error', reject);
      incoming.once('end', () => {
        if (connection) lastUse.set(connection, { at: performance.now(), keepAliveMs: announcedKeepAliveMs(incoming.headers['keep-alive']) });
        resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks), complete: incoming.complete });
      });
      // Whether a cut connection shows as 'error' or only as 'close' varies; a promise settles once.
      incoming.once('close', () => reject(new Error(`connection closed after ${chunks.reduce((sum, chunk) => sum + chunk.length, 0)} body bytes`)));
    });
    outgoing.once('socket', (socket: Socket) => {
      connection = socket;
      last = lastUse.get(socket);
      idleMs = serverIdleMs(socket, target.lagMs?.() ?? 0);
    });
    outgoing.setTimeout(target.timeoutMs, () => outgoing.destroy(new Error(`no response within ${target.timeoutMs} ms`)));
    outgoing.once('error', (error) => {
      const where = outgoing.reusedSocket ? ` on a kept-alive connection idle up to ${Math.round(idleMs)} ms` : ' on a new connection';
      if (!responded && outgoing.reusedSocket && mayHaveExpired(last, idleMs)) reject(new StaleConnectionError(`${error.message}${where}`));
      else reject(new Error(`${error.message}${where}`));
    });
    outgoing.end();
  });
}

/**
 * One GET to 127.0.0.1, hard-coded so that no option can point the load anywhere else. node:http
 * rather than fetch, because fetch decodes the body and hides the bytes whose length and tag the
 * soak has to check.
 *
 * A server may close an idle kept-alive connection just as the client sends on it; nothing was
 * processed, and HTTP lets a client send an idempotent request again (RFC 9112 §9.3.1), as
 * browsers do. That case alone (see mayHaveExpired) is retried, once, on a new connection, and
 * the caller counts it.
 */
export async function httpGet(target: GetTarget): Promise<RawResponse> {
  try {
    return { ...(await attempt(target)), retried: '' };
  } catch (error) {
    if (!(error instanceof StaleConnectionError)) throw error;
    try {
      return { ...(await attempt(target)), retried: error.message };
    } catch (second) {
      throw new Error(`${second instanceof Error ? second.message : String(second)} (retried after: ${error.message})`);
    }
  }
}
