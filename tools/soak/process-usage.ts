import { readFile } from 'node:fs/promises';

export interface ProcessUsage {
  /** Resident memory now (VmRSS), bytes. */
  readonly rssBytes: number;
  /** Peak resident memory so far (VmHWM), bytes. */
  readonly peakRssBytes: number;
  /** User plus system CPU time since the process started, milliseconds. */
  readonly cpuMs: number;
}

/** Linux reports CPU times in clock ticks; USER_HZ is 100 on every architecture Node runs on. */
const MS_PER_TICK = 10;

function kibField(status: string, name: string): number {
  const kib = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
  return kib === undefined ? Number.NaN : Number(kib) * 1024;
}

/** Reads another process's memory and CPU time from /proc (Linux only; NaN elsewhere or once it has exited). */
export async function readProcessUsage(pid: number): Promise<ProcessUsage> {
  const [status, stat] = await Promise.all([
    readFile(`/proc/${pid}/status`, 'utf8').catch(() => ''),
    readFile(`/proc/${pid}/stat`, 'utf8').catch(() => ''),
  ]);
  // The command name in parentheses may hold spaces; the fields after it are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { rssBytes: kibField(status, 'VmRSS'), peakRssBytes: kibField(status, 'VmHWM'), cpuMs: stat === '' ? Number.NaN : ticks * MS_PER_TICK };
}
