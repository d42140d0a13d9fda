import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPartners } from '../../src/store/load-partners.ts';

const hash = `sha256:${'ab'.repeat(32)}`;
let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'wirefeed-load-partners-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

async function load(text: string) {
  const file = path.join(folder, 'partners.yaml');
  await writeFile(file, text);
  return loadPartners(file, { categorySlugs: ['world'] });
}

describe('loadPartners', () => {
  it('reads token and Basic credentials and defaults the scopes to all', async () => {
    const result = await load(`partners:\n  - name: newsbox\n    credentials:\n      - ${hash}\n      - basic: { user: nb, sha256: ${hash} }\n`);
    expect(result.ok && result.partners[0]?.scopes).toBe('all');
    expect(result.ok && result.partners[0]?.credentials.map((credential) => credential.kind)).toEqual(['token', 'basic']);
  });

  it('names the variable, the field and the fix for a plain token, a duplicate name and an unknown scope', async () => {
    const plain = await load('partners:\n  - name: newsbox\n    credentials: [my-secret]\n');
    expect(plain.ok).toBe(false);
    if (!plain.ok) {
      expect(plain.problems[0]?.subject).toMatch(/^PARTNERS_FILE /);
      expect(plain.problems[0]?.field).toBe('partners[0].credentials[0]');
      expect(plain.problems[0]?.message).toMatch(/npm run partner-token/);
    }
    const twice = await load(`partners:\n  - { name: a, credentials: [${hash}] }\n  - { name: a, credentials: [${hash}], scopes: [wrld] }\n`);
    expect(twice.ok ? [] : twice.problems.map((problem) => problem.field)).toEqual(['partners[1].name', 'partners[1].scopes[0]']);
    const yaml = await load('partners: [\n');
    expect(yaml.ok ? '' : yaml.problems[0]?.message).toMatch(/not valid YAML/);
  });
});
