import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Partner } from '../domain/partner.ts';

/** What the request presents: nothing, a token (Bearer or X-API-Key), a Basic user and password, or something unreadable. */
export type PresentedCredential =
  | { readonly kind: 'none' }
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'basic'; readonly user: string; readonly password: string }
  | { readonly kind: 'malformed' };

/** Query parameters that carry a credential in a URL, where logs, proxies and browser history keep it. */
const CREDENTIAL_PARAMETERS = ['token', 'access_token', 'api_key', 'apikey', 'key', 'auth', 'password'];

export function credentialInQuery(search: string): boolean {
  if (search === '' || search === '?') return false;
  const names = [...new URLSearchParams(search).keys()].map((name) => name.toLowerCase());
  return names.some((name) => CREDENTIAL_PARAMETERS.includes(name));
}

function single(value: string | string[] | undefined): string | undefined | null {
  if (Array.isArray(value)) return value.length === 1 ? value[0] : null;
  return value;
}

/** Reads the credential from the headers; two different ones at once are malformed, not a choice to make. */
export function presentedCredential(headers: IncomingHttpHeaders): PresentedCredential {
  const authorization = single(headers.authorization);
  const apiKey = single(headers['x-api-key']);
  if (authorization === null || apiKey === null) return { kind: 'malformed' };
  if (authorization !== undefined && apiKey !== undefined) return { kind: 'malformed' };
  if (apiKey !== undefined) return apiKey.trim() === '' ? { kind: 'malformed' } : { kind: 'token', token: apiKey.trim() };
  if (authorization === undefined) return { kind: 'none' };
  const match = /^(\S+)\s+(\S+)\s*$/.exec(authorization.trim());
  if (!match) return { kind: 'malformed' };
  const [, scheme = '', value = ''] = match;
  if (scheme.toLowerCase() === 'bearer') return { kind: 'token', token: value };
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return { kind: 'malformed' };
    return { kind: 'basic', user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return { kind: 'malformed' };
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * The partner whose credential this is, or undefined. The presented secret is hashed once and
 * compared with every stored digest of every partner in constant time, with no early exit, so the
 * time taken says neither how much of a digest matched nor which partner's credential it was.
 * (Comparing digests also makes the comparison's length fixed whatever the client sends.)
 */
export function matchPartner(partners: readonly Partner[], presented: PresentedCredential): Partner | undefined {
  if (presented.kind !== 'token' && presented.kind !== 'basic') return undefined;
  const secret = sha256(presented.kind === 'token' ? presented.token : presented.password);
  const user = presented.kind === 'basic' ? sha256(presented.user) : undefined;
  let found: Partner | undefined;
  for (const partner of partners) {
    for (const credential of partner.credentials) {
      const secretMatches = timingSafeEqual(secret, credential.sha256);
      const sameKind = credential.kind === presented.kind;
      const userMatches = credential.kind === 'basic' && user !== undefined ? timingSafeEqual(user, credential.userSha256) : credential.kind === 'token';
      if (secretMatches && sameKind && userMatches && found === undefined) found = partner;
    }
  }
  return found;
}
