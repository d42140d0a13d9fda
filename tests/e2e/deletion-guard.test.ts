import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceProcess } from '../../tools/bench/service-process.ts';
import { startServiceProcess, waitFor } from '../../tools/bench/service-process.ts';
import { fixtureSiteYaml } from '../fixtures/site-yaml.ts';
import { makeTempDir, removeTempDir, writeFiles } from '../store/temp-dir.ts';

/**
 * The service over HTTP while 30% of its article files vanish at once: nothing is retracted,
 * the feeds stay as they were, /healthz says why and how to confirm, a restart changes nothing,
 * and the operator's confirmation retracts each article exactly once.
 */
interface ChangeItem {
  readonly _wirefeed: { readonly seq: number; readonly change: string; readonly id: string };
}
interface HoldReport {
  readonly count: number;
  readonly fingerprint: string;
  readonly examples: readonly string[];
  readonly confirm: string;
  readonly confirmFile: string;
}
interface HealthBody {
  readonly status: string;
  readonly reason?: string;
  readonly deletionHold: HoldReport | null;
  readonly lastBuild?: { readonly restoredFromDisk: boolean };
}

const ARTICLES = 20;
const VANISHING = [0, 1, 2, 3, 4, 5];
const idOf = (n: number): string => `story-${String(n).padStart(2, '0')}`;
const story = (n: number): string => `---\nid: ${idOf(n)}\ntitle: Story ${n}\ncategory: World\npublished: 2026-01-${String(n + 1).padStart(2, '0')}T09:00:00Z\n---\nBody ${n}.\n`;

let dir: string | undefined;
let service: ServiceProcess | undefined;
beforeAll(async () => {
  dir = await makeTempDir('wirefeed-guard-');
});
afterAll(async () => {
  await service?.stop();
  await removeTempDir(dir);
});

async function health(): Promise<HealthBody> {
  return (await fetch(`${service?.url}/healthz`)).json() as Promise<HealthBody>;
}

/** Every change entry, following next_url to the end. */
async function allChanges(): Promise<ChangeItem[]> {
  const items: ChangeItem[] = [];
  let after = 0;
  for (;;) {
    const page = (await (await fetch(`${service?.url}/changes.json?after=${after}`)).json()) as { items: ChangeItem[] };
    if (page.items.length === 0) return items;
    items.push(...page.items);
    after = page.items[page.items.length - 1]?._wirefeed.seq ?? after;
  }
}

const retractedIds = async (): Promise<string[]> =>
  (await allChanges()).filter((item) => item._wirefeed.change === 'retracted').map((item) => item._wirefeed.id).sort();

describe('the service when 30% of its article files vanish at once', () => {
  it('holds the deletions across a restart, and retracts them once each when the operator confirms', { timeout: 120_000 }, async () => {
    const root = dir ?? '';
    const content = path.join(root, 'content');
    const env = { CONTENT_DIR: content, OUTPUT_DIR: path.join(root, 'public'), STATE_DIR: path.join(root, 'state'), BASE_URL: 'https://news.example.com' };
    const files: Record<string, string> = { 'site.yaml': fixtureSiteYaml(['World']) };
    for (let n = 0; n < ARTICLES; n += 1) files[`world/${idOf(n)}.md`] = story(n);
    await writeFiles(content, files);
    service = await startServiceProcess(env);
    await waitFor(async () => (await allChanges()).length === ARTICLES, 30_000, 'every article journaled', 50);
    const feedBefore = await (await fetch(`${service.url}/feed.json`)).text();
    expect((await health()).deletionHold).toBeNull();

    for (const n of VANISHING) await rm(path.join(content, 'world', `${idOf(n)}.md`));
    await waitFor(async () => (await health()).deletionHold?.count === VANISHING.length, 30_000, 'the hold in /healthz', 50);
    const report = await health();
    expect(report.status).toBe('degraded');
    expect(report.reason).toContain('6 deletion(s) held');
    expect(report.deletionHold?.examples).toContain('world/story-00.md');
    expect(report.deletionHold?.confirm).toContain(report.deletionHold?.fingerprint);
    expect(await retractedIds()).toEqual([]);
    expect(await (await fetch(`${service.url}/feed.json`)).text()).toBe(feedBefore);
    expect((await fetch(`${service.url}/articles/story-03`)).status).toBe(200);

    // A restart with the files still missing: the first build compares with the journal, and holds.
    await service.stop();
    service = await startServiceProcess(env);
    await waitFor(async () => (await health()).lastBuild?.restoredFromDisk === false, 30_000, 'the first build after the restart', 50);
    const restarted = await health();
    expect(restarted.deletionHold).toMatchObject({ count: VANISHING.length, fingerprint: report.deletionHold?.fingerprint });
    expect(await retractedIds()).toEqual([]);
    expect(await (await fetch(`${service.url}/feed.json`)).text()).toBe(feedBefore);

    // The operator confirms as /healthz says; the service notices by itself.
    const hold = restarted.deletionHold;
    if (!hold) throw new Error('no hold after the restart');
    expect(hold.confirmFile).toBe(path.join(root, 'state', 'wirefeed-confirm-deletions'));
    await writeFile(hold.confirmFile, `${hold.fingerprint}\n`);
    await waitFor(async () => (await retractedIds()).length >= VANISHING.length, 30_000, 'the confirmed retractions', 100);
    await waitFor(async () => (await health()).deletionHold === null, 30_000, 'the hold to clear', 50);
    expect(await retractedIds()).toEqual(VANISHING.map((n) => `tag:news.example.com,2026:${idOf(n)}`));
    // Gone from the pages; in the feed only as a retraction notice.
    expect((await fetch(`${service.url}/articles/story-03`)).status).toBe(410);
    const feedAfter = (await (await fetch(`${service.url}/feed.json`)).json()) as { items: { id: string; _wirefeed?: { retracted?: string } }[] };
    expect(feedAfter.items.filter((item) => item.id.endsWith(idOf(3))).map((item) => item._wirefeed?.retracted !== undefined)).toEqual([true]);
  });
});
