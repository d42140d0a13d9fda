/** Longer targets are refused before any work: no URL this service publishes comes close. */
export const MAX_TARGET_LENGTH = 2048;

/** Separators and controls that must not appear in a decoded path segment. */
// eslint-disable-next-line no-control-regex -- rejecting control characters is the point
const FORBIDDEN_IN_SEGMENT = /[\u0000-\u001f\u007f/\\]/;

/** A request target that passed every check: what routing and redirects work from. */
export interface RoutableTarget {
  readonly ok: true;
  /** The path as received (for the absolute form, as the URL parser gives it), still percent-encoded: what the router must see. */
  readonly path: string;
  /** Percent-decoded path segments: "/category/world/" gives ["category", "world", ""]. */
  readonly segments: readonly string[];
  /** The raw query with its "?", or "", to carry over into redirects. */
  readonly query: string;
}

export type ParsedTarget = RoutableTarget | { readonly ok: false; readonly status: 400 | 414; readonly reason: string };

function refuse(status: 400 | 414, reason: string): ParsedTarget {
  return { ok: false, status, reason };
}

/**
 * Splits and decodes the request target (Node leaves it exactly as received). Dot segments,
 * encoded slashes or backslashes, NUL and other controls, and bad percent-encoding are refused
 * with 400 rather than normalised: no published URL contains them, so a request that does is a
 * probe or a broken client, and normalising would only widen what reaches the lookups.
 */
export function parseRequestTarget(target: string): ParsedTarget {
  if (target.length > MAX_TARGET_LENGTH) return refuse(414, `The URL is longer than ${MAX_TARGET_LENGTH} characters.`);
  // No form of request-target has a fragment (RFC 9112 §3.2). Node passes one through, and Koa's
  // own parse drops it, so left alone it would make the router and these checks see different paths.
  if (target.includes('#')) return refuse(400, 'The URL contains a fragment ("#"), which is never part of a request.');
  const queryAt = target.indexOf('?');
  let path = queryAt === -1 ? target : target.slice(0, queryAt);
  const query = queryAt === -1 ? '' : target.slice(queryAt);
  if (!path.startsWith('/')) {
    // Absolute form ("GET http://host/path"), which proxies send and servers must accept.
    try {
      const url = new URL(target);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return refuse(400, 'The request target is not a path.');
      path = url.pathname;
    } catch {
      return refuse(400, 'The request target is not a path.');
    }
  }
  const segments = path.slice(1).split('/');
  for (let index = 0; index < segments.length; index += 1) {
    const raw = segments[index] ?? '';
    let segment = raw;
    if (raw.includes('%')) {
      try {
        segment = decodeURIComponent(raw);
      } catch {
        return refuse(400, 'The URL has malformed percent-encoding.');
      }
      segments[index] = segment;
    }
    if (segment === '.' || segment === '..' || FORBIDDEN_IN_SEGMENT.test(segment)) {
      return refuse(400, 'The URL contains a dot segment, an encoded separator or a control character.');
    }
  }
  return { ok: true, path, segments, query };
}
