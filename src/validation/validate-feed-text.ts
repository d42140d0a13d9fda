import type { FeedFormat } from '../domain/documents.ts';
import type { Problem } from '../domain/problem.ts';
import { ATOM_NAMESPACE } from '../feeds/build-atom.ts';
import { findXmlSyntaxError } from './check-well-formed-xml.ts';
import { FeedProblems } from './feed-problems.ts';
import type { ParsedFeed } from './parsed-feed.ts';
import { validateAtom } from './validate-atom.ts';
import { validateJsonFeed } from './validate-json-feed.ts';
import { validateRss } from './validate-rss.ts';
import { attributeOf, parseXml } from './xml-parser.ts';

export interface FeedTextContext {
  /** Dates after this are errors. */
  readonly now: number;
  /** The format the document must be; detected from the content when left out. */
  readonly format?: FeedFormat;
  /** What problems are about: a feed path, a file name or a URL. */
  readonly subject: string;
}

export interface FeedTextCheck {
  readonly problems: readonly Problem[];
  /** The items read back, when the document could be read at all. */
  readonly parsed: ParsedFeed | undefined;
}

const UNPAIRED_SURROGATE = /[\uD800-\uDFFF]/u;
/** Any surrogate at all; without the `u` flag several times faster, and most feeds have none. */
const ANY_SURROGATE = /[\uD800-\uDFFF]/;

function problem(subject: string, message: string, field?: string): Problem {
  return { subject, ...(field === undefined ? {} : { field }), message };
}

function checkJson(text: string, context: FeedTextContext): FeedTextCheck {
  const problems = new FeedProblems(context.subject, 'json');
  // JSON.parse accepts them, but UTF-8 cannot carry them: the served bytes would hold U+FFFD.
  if (ANY_SURROGATE.test(text) && UNPAIRED_SURROGATE.test(text)) problems.document('contains an unpaired surrogate, which UTF-8 cannot encode');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    problems.document(`is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    return { problems: problems.list, parsed: undefined };
  }
  const parsed = validateJsonFeed(document, problems, context.now);
  return { problems: problems.list, parsed };
}

/** rss, or atom with the prefix its elements use, or undefined for any other root. */
function xmlFormat(rootName: string, root: Parameters<typeof attributeOf>[0]): { format: 'rss' | 'atom'; prefix: string } | undefined {
  if (rootName === 'rss') return { format: 'rss', prefix: '' };
  const colon = rootName.indexOf(':');
  const prefix = colon < 0 ? '' : rootName.slice(0, colon);
  const local = rootName.slice(colon + 1);
  const namespace = attributeOf(root, prefix === '' ? 'xmlns' : `xmlns:${prefix}`);
  return local === 'feed' && namespace === ATOM_NAMESPACE ? { format: 'atom', prefix } : undefined;
}

function checkXml(text: string, context: FeedTextContext): FeedTextCheck {
  const label = context.format ?? 'xml';
  const syntaxError = findXmlSyntaxError(text);
  if (syntaxError !== undefined) {
    const where = `line ${syntaxError.line}, column ${syntaxError.column}`;
    return {
      problems: [problem(context.subject, `${label} document is not well-formed XML at ${where}: ${syntaxError.reason}`, where)],
      parsed: undefined,
    };
  }
  let tree: ReturnType<typeof parseXml>;
  try {
    tree = parseXml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { problems: [problem(context.subject, `${label} document could not be parsed: ${reason}`)], parsed: undefined };
  }
  const detected = xmlFormat(tree.rootName, tree.root);
  if (detected === undefined) {
    const message = `${label} document has root element <${tree.rootName}>, neither RSS 2.0 <rss> nor Atom 1.0 <feed xmlns="${ATOM_NAMESPACE}">`;
    return { problems: [problem(context.subject, message)], parsed: undefined };
  }
  if (context.format !== undefined && detected.format !== context.format) {
    return { problems: [problem(context.subject, `${context.format} document is an ${detected.format} feed`)], parsed: undefined };
  }
  const problems = new FeedProblems(context.subject, detected.format);
  const parsed = detected.format === 'rss'
    ? validateRss(tree.root, problems, context.now)
    : validateAtom(tree.root, detected.prefix, problems, context.now);
  return { problems: problems.list, parsed };
}

/** Every check except the round trip, with the items read back so that a caller can add it. */
export function checkFeedText(text: string, context: FeedTextContext): FeedTextCheck {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const first = body.trimStart().charAt(0);
  const kind = first === '{' ? 'json' : first === '<' ? 'xml' : undefined;
  if (kind === undefined) {
    return { problems: [problem(context.subject, `${context.format ?? 'feed'} document is neither XML nor JSON`)], parsed: undefined };
  }
  if (context.format !== undefined && (context.format === 'json') !== (kind === 'json')) {
    return { problems: [problem(context.subject, `${context.format} document is ${kind === 'json' ? 'JSON' : 'XML'}`)], parsed: undefined };
  }
  return kind === 'json' ? checkJson(body, context) : checkXml(text, context);
}

/**
 * The checks a build applies, on any feed text (used by `npm run validate` on files and URLs):
 * strict well-formedness, then the format's rules. The format is detected unless given.
 */
export function validateFeedText(text: string, context: FeedTextContext): Problem[] {
  return [...checkFeedText(text, context).problems];
}
