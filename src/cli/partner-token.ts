import { createHash, randomBytes } from 'node:crypto';

/**
 * `npm run partner-token`: a new random token for a partner, and the digest to paste into
 * PARTNERS_FILE. The token is shown once and never stored by Wirefeed; 32 random bytes make a
 * plain SHA-256 digest safe to keep (no guess can be checked against it in any useful time),
 * which a password chosen by a person would not be (README "Partners").
 */
export function newPartnerToken(): { readonly token: string; readonly digest: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, digest: `sha256:${createHash('sha256').update(token, 'utf8').digest('hex')}` };
}

const { token, digest } = newPartnerToken();
process.stdout.write(
  `token (give it to the partner, once, over a private channel):\n  ${token}\n` +
    `credential line for PARTNERS_FILE (under the partner's credentials):\n  - ${digest}\n` +
    `or, for HTTP Basic with this token as the password:\n  - basic: { user: <name>, sha256: ${digest} }\n`,
);
