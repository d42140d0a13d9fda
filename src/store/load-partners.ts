import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import fs from 'node:fs/promises';
import * as z from 'zod';
import type { Partner, PartnerCredential } from '../domain/partner.ts';
import { SITE_SCOPE } from '../domain/partner.ts';
import type { Problem } from '../domain/problem.ts';
import { isGoneError } from './classify-fs-error.ts';
import { parseYamlStrictly } from './parse-yaml-strictly.ts';
import { displayPath, readAtMost } from './read-store.ts';

/** Far above any real partners file (a thousand partners with three credentials each is about 300 KB). */
export const MAX_PARTNERS_FILE_BYTES = 1024 * 1024;

export type LoadPartnersResult = { readonly ok: true; readonly partners: readonly Partner[] } | { readonly ok: false; readonly problems: readonly Problem[] };

export interface LoadPartnersOptions {
  /** The category slugs site.yaml declares: a scope must be one of them or "site". */
  readonly categorySlugs: readonly string[];
  readonly cwd?: string;
}

const HASH_EXAMPLE = '"sha256:<64 hex digits>" as `npm run partner-token` prints it';
const sha256Field = z
  .string({ error: `must be text: write it like ${HASH_EXAMPLE}` })
  .regex(/^sha256:[0-9a-fA-F]{64}$/, { message: `must be a SHA-256 digest, never the token itself: write it like ${HASH_EXAMPLE}` });
const NAME_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const credentialSchema = z.union(
  [
    sha256Field,
    z.strictObject({
      basic: z.strictObject({
        user: z.string({ error: 'must be text: the user name the partner sends with HTTP Basic' }).regex(/^[^:\s]+$/, { message: 'must be a user name without ":" or spaces' }),
        sha256: sha256Field,
      }),
    }),
  ],
  { error: `must be a token digest (${HASH_EXAMPLE}) or { basic: { user: <name>, sha256: <digest of the password> } }` },
);

const partnersFileSchema = z.strictObject(
  {
    partners: z.array(
      z.strictObject({
        name: z
          .string({ error: 'is required: a slug such as newsbox (lowercase letters, digits and hyphens)' })
          .max(64, { message: 'is longer than 64 characters: shorten it' })
          .regex(NAME_PATTERN, { message: 'must be a slug such as newsbox: lowercase letters, digits and single hyphens' }),
        credentials: z.array(credentialSchema, { error: 'is required: a list of one or more credentials' }).min(1, { message: 'is empty: add at least one credential' }),
        scopes: z.array(z.string({ error: 'must be text: "site" or a category slug' })).min(1, { message: 'is empty: leave it out for every scope, or list "site" and category slugs' }).optional(),
      }),
      { error: 'is required: a list of partners (see the README for an example)' },
    ),
  },
  { error: 'must be a mapping with a partners list (see the README for an example)' },
);

function fieldName(issuePath: readonly PropertyKey[]): string {
  return issuePath.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('');
}

const digest = (written: string): Uint8Array => Buffer.from(written.slice('sha256:'.length), 'hex');

/**
 * Reads the partners file named by PARTNERS_FILE. Every problem names the variable and the file,
 * the field and the fix; all of them are reported at once. Nothing is kept from a bad file: the
 * caller decides what a bad file means (refuse to start; keep the last good partners on reload).
 */
export async function loadPartners(file: string, options: LoadPartnersOptions): Promise<LoadPartnersResult> {
  const subject = `PARTNERS_FILE ${displayPath(file, options.cwd)}`;
  const fail = (message: string, field?: string): LoadPartnersResult => ({ ok: false, problems: [{ subject, ...(field === undefined ? {} : { field }), message }] });
  let handle: FileHandle;
  try {
    // O_NONBLOCK: a named pipe would otherwise block the open until a writer comes.
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if (isGoneError(error)) return fail('not found: create it (see the README for an example), or unset PARTNERS_FILE for no partners');
    return fail(`cannot be read (${error instanceof Error ? error.message : String(error)}): let the service read it`);
  }
  let bytes: Buffer;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return fail('is not a regular file (a pipe, device or folder): point PARTNERS_FILE at a plain YAML file');
    bytes = await readAtMost(handle, stats.size, MAX_PARTNERS_FILE_BYTES + 1);
  } catch (error) {
    return fail(`cannot be read (${error instanceof Error ? error.message : String(error)}): let the service read it`);
  } finally {
    await handle.close();
  }
  if (bytes.length > MAX_PARTNERS_FILE_BYTES) return fail(`is over the limit of ${MAX_PARTNERS_FILE_BYTES} bytes: keep only partners and their credentials in it`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('is not valid UTF-8 text: save it with UTF-8 encoding');
  }
  const yaml = parseYamlStrictly(text);
  if (!yaml.ok) {
    const where = yaml.error.line === undefined ? '' : ` (line ${yaml.error.line}, column ${yaml.error.column})`;
    return fail(`is not valid YAML${where}: ${yaml.error.reason}; fix the syntax`);
  }
  const parsed = partnersFileSchema.safeParse(yaml.value);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        const field = fieldName(issue.path);
        return { subject, ...(field === '' ? {} : { field }), message: `${field === '' ? 'the file' : field} ${issue.message}` };
      }),
    };
  }
  const problems: Problem[] = [];
  const known = new Set([SITE_SCOPE, ...options.categorySlugs]);
  const names = new Set<string>();
  const partners = parsed.data.partners.map((entry, index): Partner => {
    if (names.has(entry.name)) problems.push({ subject, field: `partners[${index}].name`, message: `partners[${index}].name "${entry.name}" is used by an earlier partner: give each partner its own name` });
    names.add(entry.name);
    entry.scopes?.forEach((scope, at) => {
      if (!known.has(scope)) {
        problems.push({ subject, field: `partners[${index}].scopes[${at}]`, message: `partners[${index}].scopes[${at}] "${scope}" is neither "site" nor a category slug site.yaml declares: use one of ${[...known].join(', ')}` });
      }
    });
    const credentials = entry.credentials.map((credential): PartnerCredential =>
      typeof credential === 'string' ? { kind: 'token', sha256: digest(credential) } : { kind: 'basic', user: credential.basic.user, userSha256: createHash('sha256').update(credential.basic.user, 'utf8').digest(), sha256: digest(credential.basic.sha256) },
    );
    return Object.freeze({ name: entry.name, credentials: Object.freeze(credentials), scopes: entry.scopes === undefined ? 'all' : Object.freeze([...new Set(entry.scopes)]) });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, partners: Object.freeze(partners) };
}
