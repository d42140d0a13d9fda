import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startBareServer } from './bare-server.ts';

/** Entry of startBareServerProcess: serves the document in the folder given, prints its URL, runs until SIGTERM. */
const folder = process.argv[2];
if (folder === undefined) throw new Error('usage: bare-server-process.ts FOLDER');
const meta = JSON.parse(await readFile(path.join(folder, 'meta.json'), 'utf8')) as { etag: string; headers: Record<string, string> };
const server = await startBareServer({ body: await readFile(path.join(folder, 'body')), gzip: await readFile(path.join(folder, 'body.gz')), ...meta });
process.stdout.write(`${server.url}\n`);
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
