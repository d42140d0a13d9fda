import type { Author } from '../domain/article.ts';
import type { YamlValue } from '../store/parse-yaml-strictly.ts';
import { resolveHttpUrl } from '../domain/resolve-http-url.ts';
import type { FieldProblem } from './field-values.ts';
import { cleanInlineText, scalarText, showValue } from './field-values.ts';
import { isEmailAddress } from '../domain/email-address.ts';


/**
 * `author` (one) and `authors` (a list), each entry a name or a mapping with name, url and email.
 * Both fields may be given; `author` comes first. Repeated names are kept once.
 */
export function parseAuthors(
  author: YamlValue | undefined,
  authors: YamlValue | undefined,
  baseUrl: string,
  problems: FieldProblem[],
): Author[] {
  const entries: { field: string; value: YamlValue }[] = [];
  if (author !== undefined && author !== null) entries.push({ field: 'author', value: author });
  if (authors !== undefined && authors !== null) {
    if (Array.isArray(authors)) authors.forEach((value, i) => entries.push({ field: `authors[${i}]`, value }));
    else entries.push({ field: 'authors', value: authors });
  }
  const result: Author[] = [];
  const seen = new Set<string>();
  for (const { field, value } of entries) {
    const parsed = parseOneAuthor(field, value, baseUrl, problems);
    if (parsed && !seen.has(parsed.name.toLowerCase())) {
      seen.add(parsed.name.toLowerCase());
      result.push(parsed);
    }
  }
  return result;
}

function parseOneAuthor(field: string, value: YamlValue, baseUrl: string, problems: FieldProblem[]): Author | undefined {
  const asText = scalarText(value);
  if (asText !== undefined) {
    const name = cleanInlineText(asText);
    if (name === '') problems.push({ field, message: `${field} is empty: write the author's name or remove the field` });
    return name === '' ? undefined : Object.freeze({ name });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ field, message: `${field} ${showValue(value)} must be a name, or a mapping with name and optional url and email` });
    return undefined;
  }
  const count = problems.length;
  const rawName = scalarText(value.name);
  const name = rawName === undefined ? '' : cleanInlineText(rawName);
  if (name === '') problems.push({ field: `${field}.name`, message: `${field}.name is missing or empty: write the author's name` });

  let url: string | undefined;
  if (value.url !== undefined && value.url !== null) {
    const rawUrl = scalarText(value.url);
    url = rawUrl === undefined ? undefined : resolveHttpUrl(cleanInlineText(rawUrl), baseUrl);
    if (url === undefined) {
      problems.push({ field: `${field}.url`, message: `${field}.url ${showValue(value.url)} is not an http(s) URL: write it like https://news.example.com/staff/jane` });
    }
  }
  let email: string | undefined;
  if (value.email !== undefined && value.email !== null) {
    const rawEmail = scalarText(value.email);
    email = rawEmail === undefined ? undefined : cleanInlineText(rawEmail);
    if (email === undefined || !isEmailAddress(email)) {
      problems.push({ field: `${field}.email`, message: `${field}.email ${showValue(value.email)} is not an e-mail address: write it like jane@news.example.com` });
    }
  }
  if (problems.length > count) return undefined;
  return Object.freeze({ name, ...(url === undefined ? {} : { url }), ...(email === undefined ? {} : { email }) });
}
