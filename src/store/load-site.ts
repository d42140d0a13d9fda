import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import fs from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import type { Author } from '../domain/article.ts';
import type { Problem } from '../domain/problem.ts';
import type { DeclaredCategory, Site } from '../domain/site.ts';
import { isGoneError } from './classify-fs-error.ts';
import { parseYamlStrictly } from './parse-yaml-strictly.ts';
import { displayPath, readAtMost } from './read-store.ts';
import { BASE_URL_EXAMPLE, normaliseBaseUrl } from '../domain/base-url.ts';
import { resolveHttpUrl } from '../domain/resolve-http-url.ts';
import { stripXmlIllegalChars } from '../domain/strip-xml-illegal-chars.ts';
import { MAX_CATEGORY_NAME_LENGTH, MAX_SLUG_LENGTH, toSlug } from '../domain/to-slug.ts';
import { isEmailAddress } from '../domain/email-address.ts';
import { isLanguageTag } from '../domain/language.ts';

export const SITE_FILE_NAME = 'site.yaml';
export const DEFAULT_BASE_URL = 'http://localhost:3000';
/** Far above any real site.yaml (a thousand categories with descriptions is about 150 KB). */
export const MAX_SITE_FILE_BYTES = 1024 * 1024;
/**
 * Most categories site.yaml may declare. Each category is three feeds and a page, rebuilt and
 * held in memory; start-up time and memory grow with the count (README, "Operations: limits").
 */
export const MAX_CATEGORIES = 500;

export type LoadSiteResult = { readonly ok: true; readonly site: Site } | { readonly ok: false; readonly problems: readonly Problem[] };

export interface LoadSiteOptions {
  /** BASE_URL from the environment: wins over site.yaml. */
  readonly baseUrlOverride?: string;
  /** Used when neither the override nor site.yaml gives one. */
  readonly defaultBaseUrl?: string;
  readonly cwd?: string;
}

/**
 * Reads `<contentDir>/site.yaml`. Every problem names the file, the field and the fix, and all of
 * them are reported at once so that the newsroom fixes the file in one pass.
 */
export async function loadSite(contentDir: string, options: LoadSiteOptions = {}): Promise<LoadSiteResult> {
  const file = path.join(path.resolve(contentDir), SITE_FILE_NAME);
  const subject = displayPath(file, options.cwd);
  const fail = (message: string, field?: string): LoadSiteResult => ({
    ok: false,
    problems: [{ subject, ...(field === undefined ? {} : { field }), message }],
  });

  let handle: FileHandle;
  try {
    // O_NONBLOCK: a named pipe would otherwise block the open (and start-up) until a writer comes.
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if (isGoneError(error)) {
      return fail(
        'not found: create it with title, description, language, tagAuthority, defaultAuthor and categories (see the README for an example)',
      );
    }
    throw new Error(`store: cannot read ${subject}`, { cause: error });
  }
  let bytes: Buffer;
  try {
    const stats = await handle.stat();
    // A pipe never ends and a device such as /dev/zero never stops giving bytes.
    if (!stats.isFile()) return fail('is not a regular file (a pipe, device or folder): replace it with a plain YAML file');
    bytes = await readAtMost(handle, stats.size, MAX_SITE_FILE_BYTES + 1);
  } catch (error) {
    throw new Error(`store: cannot read ${subject}`, { cause: error });
  } finally {
    await handle.close();
  }
  if (bytes.length > MAX_SITE_FILE_BYTES) {
    return fail(`is over the limit of ${MAX_SITE_FILE_BYTES} bytes: keep only the site settings and categories in it`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('is not valid UTF-8 text: save it with UTF-8 encoding');
  }

  const yaml = parseYamlStrictly(stripXmlIllegalChars(text));
  if (!yaml.ok) {
    const where = yaml.error.line === undefined ? '' : ` (line ${yaml.error.line}, column ${yaml.error.column})`;
    return fail(`is not valid YAML${where}: ${yaml.error.reason}; fix the syntax`);
  }

  const parsed = siteFileSchema.safeParse(yaml.value);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        const field = fieldName(issue.path);
        return { subject, ...(field === '' ? {} : { field }), message: `${fieldLabel(issue.path)} ${issue.message}` };
      }),
    };
  }
  const data = parsed.data;
  const problems: Problem[] = [];

  const categories = declareCategories(data.categories, (message, field) => problems.push({ subject, field, message }));

  let baseUrl = DEFAULT_BASE_URL;
  if (options.baseUrlOverride !== undefined) {
    const resolved = normaliseBaseUrl(options.baseUrlOverride);
    if (resolved.ok) baseUrl = resolved.url;
    else {
      problems.push({
        subject: 'BASE_URL',
        field: 'baseUrl',
        message: `"${options.baseUrlOverride}" ${resolved.reason}: set it like ${BASE_URL_EXAMPLE}`,
      });
    }
  } else {
    const resolved = normaliseBaseUrl(data.baseUrl ?? options.defaultBaseUrl ?? DEFAULT_BASE_URL);
    if (resolved.ok) baseUrl = resolved.url;
  }

  if (problems.length > 0) return { ok: false, problems };
  const { name, url, email } = data.defaultAuthor;
  const defaultAuthor: Author = Object.freeze({ name, ...(url === undefined ? {} : { url }), ...(email === undefined ? {} : { email }) });
  const site: Site = Object.freeze({
    title: data.title,
    description: data.description,
    language: data.language,
    baseUrl,
    tagAuthority: data.tagAuthority,
    defaultAuthor,
    categories: Object.freeze(categories),
    ...(data.logo === undefined ? {} : { logo: data.logo }),
  });
  return { ok: true, site };
}

function declareCategories(
  entries: readonly { name: string; description: string; language?: string | undefined }[],
  report: (message: string, field: string) => void,
): DeclaredCategory[] {
  const bySlug = new Map<string, number>();
  const categories: DeclaredCategory[] = [];
  entries.forEach((entry, index) => {
    const slug = toSlug(entry.name);
    const field = `categories[${index}].name`;
    if (slug === '') {
      report(`categories item ${index + 1} name "${entry.name}" gives an empty URL slug: use a name with Latin letters or digits`, field);
      return;
    }
    if (entry.name.length > MAX_CATEGORY_NAME_LENGTH || slug.length > MAX_SLUG_LENGTH) {
      // The slug names a folder of OUTPUT_DIR and a URL segment: both have hard length limits.
      report(
        `categories item ${index + 1} name is ${entry.name.length} characters (URL slug ${slug.length}), over the limit of ${MAX_CATEGORY_NAME_LENGTH} (slug ${MAX_SLUG_LENGTH}): use a short section name and put the rest in its description`,
        field,
      );
      return;
    }
    const earlier = bySlug.get(slug);
    if (earlier !== undefined) {
      const other = entries[earlier]?.name ?? '';
      // Merging would silently pour two sections into one feed; renaming is the newsroom's call.
      report(
        `categories item ${index + 1} name "${entry.name}" has the same URL slug "${slug}" as item ${earlier + 1} "${other}": rename one of them or remove the duplicate`,
        field,
      );
      return;
    }
    if (entry.language !== undefined && !isLanguageTag(entry.language)) {
      report(
        `categories item ${index + 1} "${entry.name}" language "${entry.language}" is not a BCP 47 language tag: write it like ar, ar-EG or en-GB, or remove it to use the site's language`,
        `categories[${index}].language`,
      );
      return;
    }
    bySlug.set(slug, index);
    categories.push(Object.freeze({ name: entry.name, slug, description: entry.description, ...(entry.language === undefined ? {} : { language: entry.language }) }));
  });
  return categories;
}

function fieldName(issuePath: readonly PropertyKey[]): string {
  return issuePath.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('');
}

/** Human form of a field path: ["categories", 2, "name"] -> "categories item 3 name". */
function fieldLabel(issuePath: readonly PropertyKey[]): string {
  if (issuePath.length === 0) return 'site.yaml';
  return issuePath.map((part) => (typeof part === 'number' ? `item ${part + 1}` : String(part))).join(' ');
}

function requiredText(example: string) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `is required: add ${example}` : `must be text: write it like ${example}`) })
    .transform((value) => stripXmlIllegalChars(value).trim())
    .refine((value) => value !== '', { message: `is empty: write it like ${example}` });
}

function optionalHttpUrl(example: string) {
  return z
    .string({ error: `must be an absolute http(s) URL such as ${example}` })
    .transform((value, ctx) => {
      const url = resolveHttpUrl(stripXmlIllegalChars(value));
      if (url === undefined) {
        ctx.issues.push({ code: 'custom', input: value, message: `"${value}" is not an absolute http(s) URL: write it like ${example}` });
        return z.NEVER;
      }
      return url;
    })
    .optional();
}


const authorSchema = z.preprocess(
  (value) => (typeof value === 'string' ? { name: value } : value),
  z.object(
    {
      name: requiredText('name: Wirefeed Newsroom'),
      url: optionalHttpUrl('https://news.example.com/newsroom'),
      email: z
        .string({ error: 'must be text such as newsroom@example.com' })
        .transform((value) => stripXmlIllegalChars(value).trim())
        .refine((value) => isEmailAddress(value), { message: 'is not an e-mail address: write it like newsroom@example.com' })
        .optional(),
    },
    {
      error: (issue) =>
        issue.input === undefined
          ? 'is required: add e.g. "defaultAuthor: Wirefeed Newsroom"'
          : 'must be a name, or a mapping with name and optional url and email',
    },
  ),
);

// RFC 4151: a DNS name or an e-mail address, then a date the authority owned it.
const TAG_AUTHORITY = /^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|[^\s@,]+@[a-z0-9.-]+),(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

function isRealDate(year: number, month = 1, day = 1): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const tagAuthoritySchema = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? 'is required: add a domain you own and the year you owned it, e.g. "tagAuthority: news.example.com,2026"; never change it afterwards'
        : 'must be text such as news.example.com,2026',
  })
  .transform((value, ctx) => {
    const normalised = value.trim().toLowerCase();
    const match = TAG_AUTHORITY.exec(normalised);
    const valid = match !== null && isRealDate(Number(match[2]), match[3] ? Number(match[3]) : 1, match[4] ? Number(match[4]) : 1);
    if (!valid) {
      ctx.issues.push({
        code: 'custom',
        input: value,
        message: `"${value}" is not "domain,YYYY" or "domain,YYYY-MM-DD" (RFC 4151): write it like news.example.com,2026`,
      });
      return z.NEVER;
    }
    return normalised;
  });

const siteFileSchema = z.object(
  {
    title: requiredText('"title: Daily Example News"'),
    description: requiredText('"description: News from Example City"'),
    language: requiredText('"language: en"').refine((value) => isLanguageTag(value), {
      message: 'is not a language tag: write it like en, en-GB or fr',
    }),
    baseUrl: z.string({ error: 'must be text such as https://news.example.com' }).optional().superRefine((value, ctx) => {
      const resolved = value === undefined ? undefined : normaliseBaseUrl(value);
      if (resolved?.ok === false) {
        ctx.addIssue({ code: 'custom', input: value, message: `"${value}" ${resolved.reason}: write it like ${BASE_URL_EXAMPLE}` });
      }
    }),
    tagAuthority: tagAuthoritySchema,
    defaultAuthor: authorSchema,
    logo: optionalHttpUrl('https://news.example.com/logo.png'),
    categories: z
      .array(
        z.object(
          {
            name: requiredText('"name: World"'),
            description: requiredText('"description: News from around the world"'),
            // The category's feeds and page are in this language instead of the site's (README "Languages and direction"); checked in declareCategories, which knows the name.
            language: z
              .string({ error: 'must be a language tag such as ar, ar-EG or en: write e.g. "language: ar", or remove it to use the site\'s language' })
              .transform((value) => value.trim())
              .optional(),
          },
          { error: 'must be a mapping with name and description (and optionally language)' },
        ),
        {
          error: (issue) =>
            issue.input === undefined
              ? 'is required: list the sections, each with name and description'
              : 'must be a list of sections, each with name and description',
        },
      )
      .min(1, { message: 'is empty: list at least one section with name and description' })
      .max(MAX_CATEGORIES, {
        message: `declares more than ${MAX_CATEGORIES} sections, the limit: merge small sections, or use tags for fine-grained topics`,
      }),
  },
  { error: 'must be a mapping of fields (title, description, language, tagAuthority, defaultAuthor, categories)' },
);
