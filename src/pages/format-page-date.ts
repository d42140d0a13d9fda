/**
 * A date for people and one for machines. Always UTC and always this one shape: a page must come
 * out byte-identical on every machine (its ETag depends on it), which rules out the host's time
 * zone and its locale data.
 */
export function formatPageDate(epochMs: number): { readonly machine: string; readonly human: string } {
  const machine = new Date(epochMs).toISOString();
  return { machine, human: `${machine.slice(0, 10)} ${machine.slice(11, 16)} UTC` };
}
