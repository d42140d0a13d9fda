/*
 * Partners: clients that read feeds under /partners/<name>/ with a credential (README "Partners").
 * Credentials are held only as SHA-256 digests of high-entropy tokens, never as the tokens.
 */

/** A token for `Authorization: Bearer` or `X-API-Key`, or a user and password for HTTP Basic. */
export type PartnerCredential =
  | { readonly kind: 'token'; readonly sha256: Uint8Array }
  /** `userSha256`: the user name's digest, made once at load, so a request compares digests only. */
  | { readonly kind: 'basic'; readonly user: string; readonly userSha256: Uint8Array; readonly sha256: Uint8Array };

export interface Partner {
  /** Slug-like and unique: the `<name>` of its paths. */
  readonly name: string;
  /** One or more: two at once let a token be rotated without downtime. */
  readonly credentials: readonly PartnerCredential[];
  /** "site" and category slugs it may read, or every scope the site has. */
  readonly scopes: readonly string[] | 'all';
}

/** The scope name of the site-wide feeds in a partner's `scopes`. */
export const SITE_SCOPE = 'site';

export function partnerMayRead(partner: Pick<Partner, 'scopes'>, scope: string): boolean {
  return partner.scopes === 'all' || partner.scopes.includes(scope);
}
