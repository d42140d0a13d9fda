import { describe, expect, it } from 'vitest';
import { negotiateEncoding } from '../../src/http/negotiate-encoding.ts';

describe('negotiateEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip', 'gzip'],
    ['br', 'br'],
    ['gzip, deflate, br', 'br'],
    ['gzip, deflate, br, zstd', 'br'],
    ['GZIP', 'gzip'],
    ['x-gzip', 'gzip'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['br;q=0.8, gzip;Q=0.5', 'br'],
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=0.5', 'gzip'],
    ['identity', 'identity'],
    ['identity;q=1, gzip;q=0.5', 'identity'],
    ['*', 'br'],
    ['*;q=0.5, br;q=0.1', 'gzip'],
    ['deflate', 'identity'],
    ['*;q=0, identity', 'identity'],
    ['identity;q=0, gzip', 'gzip'],
    ['br;q=2, gzip', 'gzip'],
    ['br;q=abc', 'identity'],
    [' , gzip ; q=0.9 ,', 'gzip'],
  ])('%j -> %s', (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected);
  });

  it.each(['identity;q=0', '*;q=0', 'deflate, identity;q=0', 'br;q=0, gzip;q=0, identity;q=0'])('finds nothing acceptable in %j', (header) => {
    expect(negotiateEncoding(header)).toBeUndefined();
  });
});
