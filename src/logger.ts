import { pino } from 'pino';
import type { Logger } from 'pino';

export type { Logger };

/** JSON lines on stdout: what log shippers and `pino-pretty` expect. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'wirefeed' } });
}
