import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceProcess } from '../../tools/bench/service-process.ts';
import { startServiceProcess, waitFor } from '../../tools/bench/service-process.ts';
import { fixtureSiteYaml } from '../fixtures/site-yaml.ts';
import { writeFiles } from '../store/temp-dir.ts';

/** Partners over HTTP on the real service: credentials, rotation by editing the file, refusals, throttling. */
const token = (): string => randomBytes(32).toString('base64url');
const digest = (secret: string): string => `sha256:${createHash('sha256').update(secret).digest('hex')}`;
const [first, second, other, basicPassword] = [token(), token(), token(), token()];

const partnersYaml = (newsboxTokens: readonly string[]): string =>
  `partners:\n  - name: newsbox\n    scopes: [site, world]\n    credentials:\n${newsboxTokens.map((t) => `      - ${digest(t)}\n`).join('')}      - basic: { user: newsbox, sha256: ${digest(basicPassword)} }\n  - name: otherco\n    credentials: [${digest(other)}]\n`;

let folder: string;
let partnersFile: string;
let service: ServiceProcess;

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** node:http rather than fetch, to choose the client address (any of 127.0.0.0/8 reaches loopback on Linux). */
function get(pathname: string, headers: Record<string, string> = {}, localAddress = '127.0.0.1'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(pathname, service.url), { headers, localAddress, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
const bearer = (secret: string): Record<string, string> => ({ authorization: `Bearer ${secret}` });

/** As editors save: a new file renamed over the old one. */
async function replacePartners(text: string): Promise<void> {
  await writeFile(`${partnersFile}.tmp`, text);
  await rename(`${partnersFile}.tmp`, partnersFile);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'wirefeed-partners-'));
  await writeFiles(path.join(folder, 'content'), {
    'site.yaml': fixtureSiteYaml(['World', 'Sport']),
    'world/story.md': '---\ntitle: The story\ncategory: World\npublished: 2026-01-20T09:00:00Z\n---\nThe body.\n',
  });
  partnersFile = path.join(folder, 'secrets', 'partners.yaml');
  await writeFiles(path.join(folder, 'secrets'), { 'partners.yaml': partnersYaml([first, second]) });
  service = await startServiceProcess({ CONTENT_DIR: path.join(folder, 'content'), OUTPUT_DIR: path.join(folder, 'public'), PARTNERS_FILE: partnersFile });
  await waitFor(async () => service.alive() && (await get('/healthz')).status === 200, 30_000, 'the first build', 50);
}, 60_000);

afterAll(async () => {
  await service?.stop();
  await rm(folder, { recursive: true, force: true });
});

describe('partner authentication over HTTP', () => {
  it('accepts Bearer, X-API-Key and HTTP Basic, and answers privately', async () => {
    const basic = `Basic ${Buffer.from(`newsbox:${basicPassword}`).toString('base64')}`;
    for (const headers of [bearer(first), { 'x-api-key': first }, { authorization: basic }]) {
      const answer = await get('/partners/newsbox/', headers);
      expect(answer.status).toBe(200);
      expect(answer.headers['cache-control']).toMatch(/^private\b/);
      expect(String(answer.headers.vary)).toMatch(/Authorization/i);
      const body = JSON.parse(answer.body) as { partner: string; scopes: string[]; access: { scope: string; feeds: string[] }[] };
      expect(body.partner).toBe('newsbox');
      expect(body.scopes).toEqual(['site', 'world']);
      expect(body.access[1]?.feeds).toContain('https://news.example.com/category/world/rss.xml');
    }
    // Basic with the right password but another user is not this credential.
    const wrongUser = await get('/partners/newsbox/', { authorization: `Basic ${Buffer.from(`someone:${basicPassword}`).toString('base64')}` }, '127.0.0.5');
    expect(wrongUser.status).toBe(401);
  });

  it('answers 401 with the challenge when the credential is missing or wrong', async () => {
    for (const headers of [{}, bearer(token()), { 'x-api-key': 'nope' }]) {
      const answer = await get('/partners/newsbox/', headers, '127.0.0.4');
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toBe('Bearer realm="wirefeed", Basic realm="wirefeed"');
      expect(String(answer.headers.vary)).toMatch(/Authorization/i);
    }
  });

  it('answers 403 for another partner\'s path and for a scope the partner may not read', async () => {
    expect((await get('/partners/otherco/', bearer(first))).status).toBe(403);
    expect((await get('/partners/newsbox/category/sport/', bearer(first))).status).toBe(403);
    expect((await get('/partners/newsbox/category/world/', bearer(first))).status).toBe(200);
    // otherco has no scopes listed: every scope.
    expect((await get('/partners/otherco/category/sport/', bearer(other))).status).toBe(200);
  });

  it('refuses a token in the URL with 400, even a valid one, and says to use a header', async () => {
    const answer = await get(`/partners/newsbox/?token=${first}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatch(/header/);
    expect((await get(`/partners/newsbox/?api_key=${first}`, bearer(first))).status).toBe(400);
  });

  it('slows one address after repeated failures without slowing another', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await get('/partners/newsbox/', bearer(token()), '127.0.0.2')).status);
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses.slice(4)).toEqual([429, 429]);
    const blocked = await get('/partners/newsbox/', bearer(first), '127.0.0.2');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await get('/partners/newsbox/', bearer(first), '127.0.0.1')).status).toBe(200);
    const metrics = (await get('/metrics')).body;
    expect(metrics).toMatch(/wirefeed_partner_auth_failures_total\{reason="wrong"\} [1-9]/);
    expect(metrics).toMatch(/wirefeed_partner_auth_throttled_total [1-9]/);
  });

  it('rotates: a token removed from the file stops working without a restart, the other keeps working', async () => {
    expect((await get('/partners/newsbox/', bearer(first), '127.0.0.3')).status).toBe(200);
    expect((await get('/partners/newsbox/', bearer(second), '127.0.0.3')).status).toBe(200);
    await replacePartners(partnersYaml([second]));
    await waitFor(async () => (await get('/partners/newsbox/', bearer(first), '127.0.0.3')).status === 401, 20_000, 'the removed token to be refused', 100);
    expect((await get('/partners/newsbox/', bearer(second), '127.0.0.3')).status).toBe(200);
  });

  it('keeps the last good partners after a broken edit and says why in /healthz', async () => {
    await replacePartners('partners:\n  - name: newsbox\n    credentials: [plain-token-by-mistake]\n');
    type Health = { status: string; partnersFile?: { problems: { subject: string; message: string }[] } };
    await waitFor(async () => ((JSON.parse((await get('/healthz')).body) as Health).partnersFile?.problems.length ?? 0) > 0, 20_000, 'the broken file in /healthz', 100);
    const health = JSON.parse((await get('/healthz')).body) as Health;
    expect(health.status).toBe('degraded');
    expect(health.partnersFile?.problems[0]?.subject).toContain('PARTNERS_FILE');
    expect(health.partnersFile?.problems[0]?.message).toMatch(/partners\[0\]\.credentials\[0\].*SHA-256/);
    expect((await get('/partners/newsbox/', bearer(second))).status).toBe(200);
    expect(service.alive()).toBe(true);
  });

  it('writes no partner document to OUTPUT_DIR', async () => {
    const output = path.join(folder, 'public');
    const files = (await filesUnder(output)).map((file) => path.relative(output, file));
    expect(files).toContain('rss.xml');
    expect(files.filter((file) => file.includes('partner'))).toEqual([]);
    for (const file of files.filter((name) => !/\.(gz|br)$/.test(name))) expect(await readFile(path.join(output, file), 'utf8')).not.toContain('newsbox');
  });
});
