import { cpus } from 'node:os';
import type { SoakResult } from './run-soak.ts';

const count = (value: number): string => (Number.isFinite(value) ? Math.round(value).toLocaleString('en') : '–');
const mib = (bytes: number): string => (Number.isFinite(bytes) ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : '–');
const signedMib = (bytes: number): string => (bytes >= 0 ? `+${mib(bytes)}` : `−${mib(-bytes)}`);
const ms = (value: number): string => (Number.isFinite(value) ? `${value < 10 ? value.toFixed(1) : Math.round(value)} ms` : '–');
const share = (part: number, whole: number): string => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '–');

/** About ten evenly spaced samples, enough to tell a plateau from a climb. */
function trend(result: SoakResult): string {
  const samples = result.memorySamples;
  const step = Math.max(1, Math.ceil(samples.length / 10));
  const picked = samples.filter((_, index) => index % step === 0 || index === samples.length - 1);
  return picked.map((sample) => `${Math.round(sample.atMs / 1000)} s ${Math.round(sample.rssBytes / 2 ** 20)}`).join(', ');
}

/** The soak's summary: one table, the verdict, and the first reasons when it failed. */
export function formatSoakReport(result: SoakResult): string {
  const { tally, editor, memory, options } = result;
  const seconds = result.loadMs / 1000;
  const versions = [...tally.versionsByPath.values()];
  const changedFeeds = versions.filter((distinct) => distinct > 1).length;
  const cpuCapacityMs = result.loadMs * result.cores;
  const rows: [string, string][] = [
    ['requests', `${count(tally.requests)} (${count(tally.requests / seconds)}/s)`],
    ['200 (complete, decoded, valid feed, ETag = hash of bytes)', count(tally.ok200)],
    ['304 (ETag = the one sent)', count(tally.ok304)],
    ['conditional requests sent', `${count(tally.conditional)} (${share(tally.conditional, tally.requests)})`],
    ['errors', count(tally.errors)],
    ['sent again after a kept-alive connection closed (not errors)', count(tally.retried)],
    ['new connections instead of ones idle near the keep-alive timeout', count(tally.freshConnections)],
    ['latency p50 / p99 / max', `${ms(tally.p50Ms)} / ${ms(tally.p99Ms)} / ${ms(tally.maxMs)}`],
    ['body bytes received', mib(tally.bodyBytes)],
    [
      'heartbeat: /healthz every 250 ms from an idle process, p50 / max',
      `${ms(result.heartbeat.p50Ms)} / ${ms(result.heartbeat.maxMs)}; ${result.heartbeat.overOneSecond} of ${result.heartbeat.beats} took ≥ 1 s${result.heartbeat.failures.length > 0 ? `; ${result.heartbeat.failures.length} failed` : ''}`,
    ],
    ['editor: edits / adds / deletes', `${count(editor.edits)} / ${count(editor.adds)} / ${count(editor.deletes)}${editor.failures.length > 0 ? ` (${editor.failures.length} failed)` : ''}`],
    ['builds published (service metrics)', count(result.builds)],
    [
      'service /healthz after the load',
      result.health
        ? `${result.health.status}; ${result.health.rejectedArticles} rejected articles, ${result.health.failedDocuments} failed documents, ${result.health.outputProblems} output problems`
        : '–',
    ],
    ['distinct feed bodies seen (each validated once)', `${count(result.validatedBodies)}; ${changedFeeds} of ${result.feeds} feeds seen in more than one version`],
    ['validator finished after the load', `${(result.validationTailMs / 1000).toFixed(1)} s`],
    ['service VmRSS start → end', `${mib(result.serviceStart.rssBytes)} → ${mib(result.serviceEnd.rssBytes)}`],
    ['service VmHWM (peak RSS)', mib(result.serviceEnd.peakRssBytes)],
    ['service VmRSS warm (max of first quarter) → end', `${mib(memory.warmRssBytes)} → ${mib(memory.endRssBytes)} (${signedMib(memory.growthBytes)})`],
    ['machine load average (1 min) before → after', `${result.loadAverage[0].toFixed(2)} → ${result.loadAverage[1].toFixed(2)}`],
    ['CPU: service / load generator (clients, validator)', `${(result.serviceCpuMs / 1000).toFixed(1)} s / ${(result.loadGeneratorCpuMs / 1000).toFixed(1)} s of ${(cpuCapacityMs / 1000).toFixed(0)} core-seconds (${share(result.serviceCpuMs + result.loadGeneratorCpuMs, cpuCapacityMs)} busy)`],
    [
      'clients\' event loop: busy; delay p99 / max',
      `${share(result.clientEventLoopUtilization, 1)}; ${ms(result.clientEventLoopDelayMs.p99)} / ${ms(result.clientEventLoopDelayMs.max)}`,
    ],
  ];
  if (result.injectedCorruptions > 0) rows.push(['responses corrupted on purpose', count(result.injectedCorruptions)]);
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = [
    `Soak: ${count(options.articles)} articles in ${options.categories} categories, ${result.feeds} feeds, ${count(options.clients)} clients ` +
      `for ${seconds.toFixed(1)} s, 127.0.0.1, ${result.cores} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}.`,
    '',
    `| ${'figure'.padEnd(width)} | value |`,
    `| ${'-'.repeat(width)} | ----- |`,
    ...rows.map(([label, value]) => `| ${label.padEnd(width)} | ${value} |`),
    '',
    `Service VmRSS through the load (MiB): ${trend(result)}.`,
    `Memory bound: VmRSS at the end may exceed the warm level by at most ${mib(memory.boundBytes)}: ${memory.ok ? 'held' : 'EXCEEDED'}.`,
  ];
  if (!result.serviceSurvived) lines.push('The service exited during the soak.');
  if (result.heartbeat.failures.length > 0) lines.push('', 'Heartbeat failures:', ...result.heartbeat.failures.map((failure) => `  - ${failure}`));
  if (tally.retryReasons.length > 0) lines.push('', 'First requests sent again:', ...tally.retryReasons.map((reason) => `  - ${reason}`));
  if (tally.errorReasons.length > 0) lines.push('', `First errors (${tally.errorReasons.length} of ${count(tally.errors)}):`, ...tally.errorReasons.map((reason) => `  - ${reason}`));
  if (result.health && result.health.problems.length > 0) lines.push('', 'Service problems:', ...result.health.problems.map((problem) => `  - ${problem}`));
  if (editor.failures.length > 0) lines.push('', 'Editor failures:', ...editor.failures.slice(0, 5).map((failure) => `  - ${failure}`));
  lines.push('', result.failures.length === 0 ? 'PASS' : `FAIL: ${result.failures.join('; ')}.`);
  return lines.join('\n');
}
