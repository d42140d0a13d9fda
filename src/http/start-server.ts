import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Server as NetServer } from 'node:net';
import type { RequestHandler } from './request-handler.ts';

export interface ServerOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly host: string;
  /** How long close() lets requests in flight finish before cutting their connections. */
  readonly closeTimeoutMs?: number;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** Stops accepting, lets requests in flight finish, then resolves. Safe to call twice. */
  close(): Promise<void>;
}

const DEFAULT_CLOSE_TIMEOUT_MS = 10_000;

function urlOf(address: AddressInfo): string {
  const unspecified = address.address === '0.0.0.0' || address.address === '::';
  const host = unspecified ? 'localhost' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * Listens with the handler and returns a handle whose close() is graceful.
 *
 * Node's own server.close() is not used: before it stops accepting it destroys every connection
 * whose response has been ended, including one whose body is still being flushed to a slow
 * reader (Node 20 checks `finished`, not "flushed"), which cuts a large feed short. Instead this
 * counts the requests in progress per connection: close() stops accepting at the net level,
 * closes connections with nothing in progress, and closes each other one as soon as its last
 * response has been flushed; responses started meanwhile say `Connection: close`.
 */
export async function startServer(handle: RequestHandler, options: ServerOptions): Promise<RunningServer> {
  let closing = false;
  const inProgress = new Map<Socket, number>();

  const server = createServer((request, response) => {
    const { socket } = request;
    inProgress.set(socket, (inProgress.get(socket) ?? 0) + 1);
    // 'close' follows 'finish', which Node emits once the last byte is handed to the OS.
    response.once('close', () => {
      const count = inProgress.get(socket);
      if (count === undefined) return;
      inProgress.set(socket, count - 1);
      if (closing && count === 1) socket.destroy();
    });
    if (closing) response.setHeader('Connection', 'close');
    handle(request, response);
  });
  server.on('connection', (socket: Socket) => {
    inProgress.set(socket, 0);
    socket.once('close', () => inProgress.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Listening on a host and port always gives an AddressInfo (a string is only for pipes).
  const address = server.address() as AddressInfo;

  let closed: Promise<void> | undefined;
  return {
    url: urlOf(address),
    port: address.port,
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        closing = true;
        const deadline = setTimeout(() => {
          for (const socket of inProgress.keys()) socket.destroy();
        }, options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS);
        NetServer.prototype.close.call(server, (error?: Error) => {
          clearTimeout(deadline);
          if (error) reject(error);
          else resolve();
        });
        for (const [socket, count] of inProgress) if (count === 0) socket.destroy();
      });
      return closed;
    },
  };
}
