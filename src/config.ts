import path from 'node:path';
import cron from 'node-cron';
import { BASE_URL_EXAMPLE, normaliseBaseUrl } from './domain/base-url.ts';
import { DEFAULT_MIN_IMAGE_WIDTH } from './articles/measure-lead-image.ts';
import { DEFAULT_MASS_DELETION_THRESHOLD } from './jobs/deletion-guard.ts';
import type { RateLimit } from './http/client-budget.ts';
import { parseRateLimit } from './http/client-budget.ts';
import type { RebuildJobOptions } from './jobs/rebuild.ts';
import type { LoadSiteOptions } from './store/load-site.ts';

/** Everything the process takes from its environment, read once at start-up. */
export interface Config {
  readonly contentDir: string;
  readonly outputDir: string;
  /** STATE_DIR: where the change journal lives; OUTPUT_DIR unless set (another volume keeps a full output disk from holding back publication). */
  readonly stateDir: string;
  readonly port: number;
  readonly host: string;
  /** Overrides the site.yaml `baseUrl`; undefined means "use site.yaml, else http://localhost:PORT". */
  readonly baseUrl: string | undefined;
  readonly feedCron: string;
  readonly feedItemLimit: number;
  readonly maxArticleBytes: number;
  /** MIN_IMAGE_WIDTH: a lead image narrower than this many pixels is reported in /healthz (never dropped). */
  readonly minImageWidth: number;
  readonly logLevel: string;
  /** CHANGES_REPLAY_DAYS: how far back a change-stream cursor is served; undefined: every change kept. */
  readonly changesReplayDays: number | undefined;
  /** RETRACTION_NOTICE_DAYS: how long the subscription feeds carry a retraction notice. */
  readonly retractionNoticeDays: number;
  /** MASS_DELETION_THRESHOLD: the share of the public articles whose files may vanish in one build before their retractions are held. */
  readonly massDeletionThreshold: number;
  /** FEED_BYTE_BUDGET: UTF-8 bytes (uncompressed) a subscription document may take; older items are left out whole. */
  readonly feedByteBudget: number;
  /** ARTICLE_BYTE_BUDGET: bytes of full text over which an article goes out as its summary. */
  readonly articleByteBudget: number;
  /** RATE_LIMIT: each client's request budget; undefined when set to "off". */
  readonly rateLimit: RateLimit | undefined;
  /** TRUST_PROXY: how many proxies in front append to X-Forwarded-For; 0 ignores the header. */
  readonly trustProxy: number;
  /** PARTNERS_FILE: the partners and their credentials (README "Partners"), outside the store; undefined: no partners. */
  readonly partnersFile: string | undefined;
}

export const DEFAULT_FEED_CRON = '*/5 * * * *';

export class ConfigError extends Error {}

/** 1 MiB: SmartNews asks for feeds under 1 MB, Google News takes 2 MB. */
export const DEFAULT_FEED_BYTE_BUDGET = 1024 * 1024;
/** Google News takes at most 1 MB per article. */
export const DEFAULT_ARTICLE_BYTE_BUDGET = 1_000_000;

/** A byte count, written as a whole number of bytes or with a KiB/MiB/KB/MB suffix. */
function bytes(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, fix: string): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const match = /^(\d+(?:\.\d+)?)\s*(kib|mib|kb|mb|b)?$/i.exec(raw.trim());
  const unit = match?.[2]?.toLowerCase() ?? 'b';
  const factor = ({ b: 1, kb: 1000, mb: 1_000_000, kib: 1024, mib: 1024 * 1024 } as Readonly<Record<string, number>>)[unit] ?? 1;
  const value = match === null ? Number.NaN : Math.floor(Number(match[1]) * factor);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(`${name}="${raw}" must be a size from ${min} to ${max} bytes, written like 1048576, 1MiB or 2MB; ${fix}`);
  }
  return value;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name}="${raw}" must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function text(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? fallback : raw.trim();
}

function baseUrlSetting(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const result = normaliseBaseUrl(raw);
  if (!result.ok) throw new ConfigError(`BASE_URL="${raw.trim()}" ${result.reason}: set it to the address the feeds are served under, like ${BASE_URL_EXAMPLE}`);
  return result.url;
}

/** A share from 0 to 1, written as a decimal ("0.1") or a percentage ("10%"). */
function share(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const written = raw.trim();
  const percent = written.endsWith('%');
  const value = Number(percent ? written.slice(0, -1) : written) / (percent ? 100 : 1);
  if (written === '%' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new ConfigError(
      `${name}="${raw}" must be a share of the public articles from 0 to 1, like 0.1 or 10% (hold the deletions when more than a tenth of the articles vanish in one build); 1 turns the guard off`,
    );
  }
  return value;
}

function rateLimitSetting(raw: string | undefined): RateLimit | undefined {
  const result = parseRateLimit(raw);
  if (!result.ok) throw new ConfigError(result.reason);
  return result.limit;
}

/** "true"/"yes" mean one proxy, "false"/"no" none: both are how such switches are usually written. */
function trustProxySetting(env: NodeJS.ProcessEnv): number {
  const raw = env.TRUST_PROXY?.trim().toLowerCase();
  if (raw === 'true' || raw === 'yes') return 1;
  if (raw === 'false' || raw === 'no') return 0;
  try {
    return integer(env, 'TRUST_PROXY', 0, 0, 10);
  } catch {
    throw new ConfigError(`TRUST_PROXY="${env.TRUST_PROXY ?? ''}" must be the number of proxies in front of the service that append to X-Forwarded-For (0 to 10; true means 1); unset it when clients connect directly, or anyone could choose their own address`);
  }
}

export function readConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  const baseUrl = baseUrlSetting(env.BASE_URL);
  const feedCron = text(env, 'FEED_CRON', DEFAULT_FEED_CRON);
  if (!cron.validate(feedCron)) {
    throw new ConfigError(`FEED_CRON="${feedCron}" is not a valid cron expression (e.g. "*/5 * * * *": every five minutes)`);
  }
  return Object.freeze({
    contentDir: path.resolve(cwd, text(env, 'CONTENT_DIR', 'content')),
    outputDir: path.resolve(cwd, text(env, 'OUTPUT_DIR', 'public')),
    stateDir: path.resolve(cwd, text(env, 'STATE_DIR', text(env, 'OUTPUT_DIR', 'public'))),
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: text(env, 'HOST', '0.0.0.0'),
    baseUrl,
    feedCron,
    feedItemLimit: integer(env, 'FEED_ITEM_LIMIT', 50, 1, 1000),
    maxArticleBytes: integer(env, 'MAX_ARTICLE_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    minImageWidth: integer(env, 'MIN_IMAGE_WIDTH', DEFAULT_MIN_IMAGE_WIDTH, 1, 100_000),
    logLevel: text(env, 'LOG_LEVEL', 'info'),
    massDeletionThreshold: share(env, 'MASS_DELETION_THRESHOLD', DEFAULT_MASS_DELETION_THRESHOLD),
    changesReplayDays: env.CHANGES_REPLAY_DAYS === undefined || env.CHANGES_REPLAY_DAYS.trim() === '' ? undefined : integer(env, 'CHANGES_REPLAY_DAYS', 0, 1, 36_500),
    retractionNoticeDays: integer(env, 'RETRACTION_NOTICE_DAYS', 30, 1, 3650),
    feedByteBudget: bytes(env, 'FEED_BYTE_BUDGET', DEFAULT_FEED_BYTE_BUDGET, 16 * 1024, 1024 * 1024 * 1024, 'unset it for the default of 1MiB (SmartNews asks for under 1 MB, Google News takes 2 MB)'),
    partnersFile: env.PARTNERS_FILE === undefined || env.PARTNERS_FILE.trim() === '' ? undefined : path.resolve(cwd, env.PARTNERS_FILE.trim()),
    articleByteBudget: bytes(env, 'ARTICLE_BYTE_BUDGET', DEFAULT_ARTICLE_BYTE_BUDGET, 1024, 1024 * 1024 * 1024, 'unset it for the default of 1MB (what Google News takes per article)'),
    rateLimit: rateLimitSetting(env.RATE_LIMIT),
    trustProxy: trustProxySetting(env),
  });
}

/** How site.yaml is read under this configuration; `port` is the one the service listens on. */
export function siteOptions(config: Config, port: number): LoadSiteOptions {
  return { ...(config.baseUrl ? { baseUrlOverride: config.baseUrl } : {}), defaultBaseUrl: `http://localhost:${port}` };
}

/** What the rebuild job takes from the configuration: the service and `npm run build` pass the same. */
export function rebuildSettings(
  config: Config,
): Pick<RebuildJobOptions, 'contentDir' | 'outputDir' | 'stateDir' | 'maxArticleBytes' | 'minImageWidth' | 'feedItemLimit' | 'feedCron' | 'retractionNoticeDays' | 'massDeletionThreshold' | 'feedByteBudget' | 'articleByteBudget'> {
  return {
    contentDir: config.contentDir,
    outputDir: config.outputDir,
    stateDir: config.stateDir,
    maxArticleBytes: config.maxArticleBytes,
    minImageWidth: config.minImageWidth,
    feedItemLimit: config.feedItemLimit,
    feedCron: config.feedCron,
    retractionNoticeDays: config.retractionNoticeDays,
    massDeletionThreshold: config.massDeletionThreshold,
    feedByteBudget: config.feedByteBudget,
    articleByteBudget: config.articleByteBudget,
  };
}
