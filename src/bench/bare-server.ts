import { createServer } from 'node:http';
import type { Server } from 'node:http';

/**
 * The yardstick for the HTTP figures: plain node:http answering one pre-compressed document with
 * the same headers Wirefeed sends, including the 304 path. Anything Wirefeed spends beyond this
 * is framework and routing overhead.
 */
export async function startBareServer(document: { body: Buffer; gzip: Buffer; etag: string; headers: Record<string, string> }): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    for (const [name, value] of Object.entries(document.headers)) response.setHeader(name, value);
    response.setHeader('etag', document.etag);
    if (request.headers['if-none-match'] === document.etag) {
      response.statusCode = 304;
      response.end();
      return;
    }
    const gzip = /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
    const bytes = gzip ? document.gzip : document.body;
    if (gzip) response.setHeader('content-encoding', 'gzip');
    response.setHeader('content-length', bytes.length);
    response.end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
