import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_FEED_CRON, readConfig } from '../src/config.ts';

describe('readConfig', () => {
  it.each([
    [{}, 0.1],
    [{ MASS_DELETION_THRESHOLD: '0.25' }, 0.25],
    [{ MASS_DELETION_THRESHOLD: '25%' }, 0.25],
    [{ MASS_DELETION_THRESHOLD: '1' }, 1],
  ])('reads MASS_DELETION_THRESHOLD from %o as %d', (env, threshold) => {
    expect(readConfig(env, '/srv').massDeletionThreshold).toBe(threshold);
  });

  it('reads FEED_BYTE_BUDGET and ARTICLE_BYTE_BUDGET in bytes or with a unit, 1 MiB and 1 MB by default', () => {
    expect(readConfig({}, '/srv')).toMatchObject({ feedByteBudget: 1_048_576, articleByteBudget: 1_000_000 });
    expect(readConfig({ FEED_BYTE_BUDGET: '2MB', ARTICLE_BYTE_BUDGET: '512KiB' }, '/srv')).toMatchObject({ feedByteBudget: 2_000_000, articleByteBudget: 524_288 });
    expect(readConfig({ FEED_BYTE_BUDGET: '65536' }, '/srv').feedByteBudget).toBe(65_536);
  });

  it.each(['FEED_BYTE_BUDGET', 'ARTICLE_BYTE_BUDGET'])('refuses a %s that is not a size, naming the variable and the fix', (name) => {
    for (const raw of ['lots', '-5', '12 parsecs', '10']) {
      expect(() => readConfig({ [name]: raw }, '/srv')).toThrow(ConfigError);
      expect(() => readConfig({ [name]: raw }, '/srv')).toThrow(new RegExp(`^${name}="${raw}" must be a size .*unset it for the default`));
    }
  });

  it('works with an empty environment: content/ served on port 3000, feeds written to public/', () => {
    const config = readConfig({}, '/srv/news');
    expect(config).toMatchObject({
      contentDir: path.resolve('/srv/news/content'),
      outputDir: path.resolve('/srv/news/public'),
      port: 3000,
      baseUrl: undefined,
      feedCron: DEFAULT_FEED_CRON,
      feedItemLimit: 50,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every setting from its variable', () => {
    const config = readConfig(
      { CONTENT_DIR: 'store', OUTPUT_DIR: '/var/feeds', PORT: '8080', BASE_URL: 'https://news.example.com/', FEED_CRON: '*/2 * * * *', FEED_ITEM_LIMIT: '20' },
      '/srv/news',
    );
    expect(config).toMatchObject({
      contentDir: path.resolve('/srv/news/store'),
      outputDir: '/var/feeds',
      port: 8080,
      baseUrl: 'https://news.example.com',
      feedCron: '*/2 * * * *',
      feedItemLimit: 20,
    });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT="eighty" must be a whole number/],
    [{ FEED_ITEM_LIMIT: '0' }, /FEED_ITEM_LIMIT/],
    [{ BASE_URL: 'news.example.com' }, /BASE_URL.*absolute URL/],
    [{ BASE_URL: 'ftp://news.example.com' }, /BASE_URL.*http/],
    [{ BASE_URL: 'https://news.example.com/feeds?' }, /BASE_URL="https:\/\/news.example.com\/feeds\?" has a query or fragment.*: set it to the address/],
    [{ BASE_URL: 'https://news.example.com/#' }, /BASE_URL=.* has a query or fragment/],
    [{ BASE_URL: 'https://news.example.com/?edition=uk' }, /BASE_URL=.* has a query or fragment/],
    [{ BASE_URL: 'https://desk:secret@news.example.com' }, /BASE_URL=.* carries a user name or password/],
    [{ FEED_CRON: 'hourly' }, /FEED_CRON="hourly" is not a valid cron expression/],
    [{ MASS_DELETION_THRESHOLD: 'ten' }, /MASS_DELETION_THRESHOLD="ten" must be a share of the public articles from 0 to 1, like 0.1 or 10%.*1 turns the guard off/],
    [{ MASS_DELETION_THRESHOLD: '10' }, /MASS_DELETION_THRESHOLD="10" must be a share/],
    [{ MASS_DELETION_THRESHOLD: '-0.1' }, /MASS_DELETION_THRESHOLD="-0.1" must be a share/],
    [{ MASS_DELETION_THRESHOLD: '%' }, /MASS_DELETION_THRESHOLD="%" must be a share/],
  ])('refuses %o with a message naming the variable', (env, message) => {
    expect(() => readConfig(env, '/srv')).toThrow(ConfigError);
    expect(() => readConfig(env, '/srv')).toThrow(message);
  });
});
