import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../domain/clock.ts';
import type { BuildReport, Snapshot } from '../publication/snapshot.ts';
import type { RouteLabel } from './routing.ts';

export interface HttpMetrics {
  /** This service's own registry; the process-wide default registry is never used. */
  readonly registry: Registry;
  /** Call with the report of every build whose snapshot is published. */
  recordBuild(report: BuildReport): void;
  /** One finished response; `route` is a route pattern, never a raw path. */
  recordResponse(route: RouteLabel, status: number, bodyBytes: number): void;
  /** A feed or page answered from the snapshot, in full or as 304. */
  recordDocument(notModified: boolean): void;
  /** One response sent by the lean path, ahead of the router; also counted by recordResponse. */
  recordLeanResponse(): void;
  /** One request refused with 429 for being over its client's budget, counted by the kind of client (never by address). */
  recordRateLimited(clientKind: string): void;
  /** The exposition text, with the age of `snapshot` taken from the clock at this moment. */
  scrape(snapshot: Snapshot | undefined): Promise<string>;
}

/** From a quick incremental rebuild to a cold start over a large store. */
const BUILD_SECONDS_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export function createMetrics(clock: Clock): HttpMetrics {
  const registry = new Registry();
  const registers = [registry];
  const requests = new Counter({
    name: 'wirefeed_http_requests_total',
    help: 'HTTP responses by route pattern and status code.',
    labelNames: ['route', 'status'] as const,
    registers,
  });
  const responseBytes = new Counter({
    name: 'wirefeed_http_response_body_bytes_total',
    help: 'Body bytes of HTTP responses (after content coding; 0 for HEAD and 304), by route pattern.',
    labelNames: ['route'] as const,
    registers,
  });
  const documentResponses = new Counter({
    name: 'wirefeed_http_document_responses_total',
    help: 'Feeds and pages answered from the snapshot, in full or as 304 Not Modified.',
    registers,
  });
  const notModifiedResponses = new Counter({
    name: 'wirefeed_http_not_modified_responses_total',
    help: 'Feeds and pages answered 304 Not Modified; divide by wirefeed_http_document_responses_total for the share.',
    registers,
  });
  const leanResponses = new Counter({
    name: 'wirefeed_http_lean_path_responses_total',
    help: 'Responses sent by the lean path for canonical feed and page URLs, ahead of the router; included in wirefeed_http_requests_total.',
    registers,
  });
  const rateLimited = new Counter({
    name: 'wirefeed_http_rate_limited_total',
    help: 'Requests answered 429 for being over their client budget (RATE_LIMIT), by client kind; included in wirefeed_http_requests_total under route "rate-limited".',
    labelNames: ['client_kind'] as const,
    registers,
  });
  const buildDuration = new Histogram({
    name: 'wirefeed_build_duration_seconds',
    help: 'Duration of builds whose snapshot was published.',
    buckets: BUILD_SECONDS_BUCKETS,
    registers,
  });
  const validationFailures = new Counter({
    name: 'wirefeed_build_validation_failures_total',
    help: 'Documents that failed validation, summed over builds (a document failing in three builds counts three times).',
    registers,
  });
  const failedDocuments = new Gauge({ name: 'wirefeed_build_failed_documents', help: 'Documents that failed validation in the last build.', registers });
  const rejectedArticles = new Gauge({ name: 'wirefeed_build_rejected_articles', help: 'Article problems in the last build.', registers });
  const outputProblems = new Gauge({ name: 'wirefeed_build_output_problems', help: 'Problems writing the output directory in the last build.', registers });
  const articles = new Gauge({
    name: 'wirefeed_build_articles',
    help: 'Articles in the last build, loaded (public or not) and public.',
    labelNames: ['state'] as const,
    registers,
  });
  const feeds = new Gauge({ name: 'wirefeed_build_feeds', help: 'Feeds in the last published snapshot.', registers });
  const lastBuild = new Gauge({ name: 'wirefeed_build_last_finished_timestamp_seconds', help: 'When the last recorded build finished.', registers });
  const snapshotAge = new Gauge({
    name: 'wirefeed_snapshot_age_seconds',
    help: 'Seconds since the build of the snapshot being served finished; NaN before the first snapshot.',
    registers,
  });

  return {
    registry,
    recordBuild(report) {
      buildDuration.observe(report.durationMs / 1000);
      validationFailures.inc(report.failedDocuments.length);
      failedDocuments.set(report.failedDocuments.length);
      rejectedArticles.set(report.rejectedArticles.length);
      outputProblems.set(report.outputProblems.length);
      articles.set({ state: 'loaded' }, report.articleCount);
      articles.set({ state: 'public' }, report.publicArticleCount);
      feeds.set(report.feedCount);
      lastBuild.set(report.finishedAt / 1000);
    },
    recordResponse(route, status, bodyBytes) {
      requests.inc({ route, status });
      if (bodyBytes > 0) responseBytes.inc({ route }, bodyBytes);
    },
    recordDocument(notModified) {
      documentResponses.inc();
      if (notModified) notModifiedResponses.inc();
    },
    recordLeanResponse() {
      leanResponses.inc();
    },
    recordRateLimited(clientKind) {
      rateLimited.inc({ client_kind: clientKind });
      // Refused before routing, so under a label of its own rather than a route pattern.
      requests.inc({ route: 'rate-limited', status: 429 });
    },
    async scrape(snapshot) {
      snapshotAge.set(snapshot ? Math.max(0, clock() - snapshot.build.finishedAt) / 1000 : Number.NaN);
      return registry.metrics();
    },
  };
}
