import type { Middleware } from 'koa';
import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { Clock } from '../domain/clock.ts';
import { FEED_FORMATS } from '../domain/documents.ts';
import type { Partner } from '../domain/partner.ts';
import { partnerMayRead, SITE_SCOPE } from '../domain/partner.ts';
import type { Site } from '../domain/site.ts';
import { feedUrl } from '../domain/site-urls.ts';
import type { FailedAttempts } from './failed-attempts.ts';
import { createFailedAttempts } from './failed-attempts.ts';
import { NO_STORE, respondPlain } from './middleware.ts';
import { credentialInQuery, matchPartner, presentedCredential } from './partner-auth.ts';
import type { RequestState } from './routing.ts';
import { PARTNER_ROUTE } from './routing.ts';

export interface PartnerPathDependencies {
  /** The partners in force at this moment (the file is reloaded behind this). */
  readonly partners: () => readonly Partner[];
  readonly site: () => Site | undefined;
  /** The service's metrics registry, where the authentication counters are registered. */
  readonly registry: Registry;
  readonly clock: Clock;
  /** Defaults to five failures a minute, then a block of 10 s doubling up to 15 min. */
  readonly failedAttempts?: FailedAttempts;
}

export const PARTNER_PREFIX = '/partners/';
const CHALLENGE = 'Bearer realm="wirefeed", Basic realm="wirefeed"';
const PARTNER_PATH = /^\/partners\/([^/]+)\/(?:category\/([^/]+)\/)?$/;

interface ScopeAccess {
  readonly scope: string;
  readonly feeds: readonly string[];
}

function scopeAccess(site: Site, scope: string): ScopeAccess {
  const feedScope = scope === SITE_SCOPE ? ({ kind: 'site' } as const) : ({ kind: 'category', slug: scope } as const);
  return { scope, feeds: FEED_FORMATS.map((format) => feedUrl(site, feedScope, format)) };
}

function scopesOf(partner: Partner, site: Site): readonly string[] {
  const declared = [SITE_SCOPE, ...site.categories.map((category) => category.slug)];
  return declared.filter((scope) => partnerMayRead(partner, scope));
}

/**
 * Answers everything under /partners/ ahead of the router: refuses a credential in the URL,
 * throttles addresses that keep failing, authenticates (Bearer, X-API-Key, Basic), then answers
 * the partner's own paths. Partner answers are made per request and never written to OUTPUT_DIR.
 */
export function partnerPaths(dependencies: PartnerPathDependencies): Middleware<RequestState> {
  const attempts = dependencies.failedAttempts ?? createFailedAttempts({ clock: dependencies.clock });
  const registers = [dependencies.registry];
  const failures = new Counter({ name: 'wirefeed_partner_auth_failures_total', help: 'Partner requests answered 401, by reason (missing, wrong or malformed credential).', labelNames: ['reason'] as const, registers });
  const throttled = new Counter({ name: 'wirefeed_partner_auth_throttled_total', help: 'Partner requests answered 429 because their address failed authentication too often.', registers });
  const forbidden = new Counter({ name: 'wirefeed_partner_auth_forbidden_total', help: 'Partner requests answered 403: a valid credential for another partner or a scope it may not read.', registers });
  new Gauge({
    name: 'wirefeed_partner_auth_blocked_addresses',
    help: 'Client addresses blocked at this moment for failing partner authentication.',
    registers,
    collect() {
      this.set(attempts.blockedAddresses());
    },
  });

  return (ctx, next) => {
    if (!ctx.path.startsWith(PARTNER_PREFIX)) return next();
    ctx.state.route = PARTNER_ROUTE;
    ctx.vary('Authorization');
    ctx.vary('X-API-Key');
    // The socket's address, never X-Forwarded-For: a header any client can write would let it pick another's budget.
    const address = ctx.req.socket.remoteAddress ?? 'unknown';
    const blocked = attempts.blockedFor(address);
    if (blocked > 0) {
      throttled.inc();
      ctx.set('Retry-After', String(Math.ceil(blocked / 1000)));
      respondPlain(ctx, 429, 'Too many failed authentications from this address: wait for Retry-After seconds, then try again with a valid credential.\n', NO_STORE);
      return;
    }
    if (credentialInQuery(ctx.querystring)) {
      respondPlain(ctx, 400, 'A credential in the URL is refused (URLs leak into logs and caches): send it in a header, Authorization: Bearer <token> or X-API-Key: <token>, or use HTTP Basic. Replace this token, it has been exposed.\n', NO_STORE);
      return;
    }
    const presented = presentedCredential(ctx.req.headers);
    const partner = matchPartner(dependencies.partners(), presented);
    if (!partner) {
      const reason = presented.kind === 'none' ? 'missing' : presented.kind === 'malformed' ? 'malformed' : 'wrong';
      failures.inc({ reason });
      // A request without any credential is how a client learns the challenge; only wrong ones count against the address.
      const block = reason === 'missing' ? 0 : attempts.recordFailure(address);
      if (block > 0) {
        throttled.inc();
        ctx.set('Retry-After', String(Math.ceil(block / 1000)));
        respondPlain(ctx, 429, 'Too many failed authentications from this address: wait for Retry-After seconds, then try again with a valid credential.\n', NO_STORE);
        return;
      }
      ctx.set('WWW-Authenticate', CHALLENGE);
      respondPlain(ctx, 401, 'A partner credential is required: send Authorization: Bearer <token>, X-API-Key: <token>, or HTTP Basic.\n', NO_STORE);
      return;
    }
    const match = PARTNER_PATH.exec(ctx.path);
    const name = match?.[1];
    if (name !== undefined && name !== partner.name) {
      forbidden.inc();
      respondPlain(ctx, 403, `This credential belongs to another partner: read under ${PARTNER_PREFIX}${partner.name}/.\n`, NO_STORE);
      return;
    }
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.set('Allow', 'GET, HEAD');
      respondPlain(ctx, 405, 'Method not allowed: this resource answers GET and HEAD.\n', NO_STORE);
      return;
    }
    const site = dependencies.site();
    if (!match || !site) {
      respondPlain(ctx, site ? 404 : 503, site ? 'No such partner document.\n' : 'Not ready: the first build has not finished.\n', NO_STORE);
      return;
    }
    const category = match[2];
    let body: object;
    if (category === undefined) {
      const scopes = scopesOf(partner, site);
      body = { partner: partner.name, scopes, access: scopes.map((scope) => scopeAccess(site, scope)) };
    } else if (!site.categories.some((declared) => declared.slug === category)) {
      respondPlain(ctx, 404, 'No such category.\n', NO_STORE);
      return;
    } else if (!partnerMayRead(partner, category)) {
      forbidden.inc();
      respondPlain(ctx, 403, `The scope "${category}" is not among this partner's scopes.\n`, NO_STORE);
      return;
    } else body = { partner: partner.name, ...scopeAccess(site, category) };
    ctx.status = 200;
    ctx.set('Cache-Control', 'private, no-cache');
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = `${JSON.stringify(body, null, 2)}\n`;
  };
}
