import { exitOnConfigError } from './cli/exit-on-config-error.ts';
import { readConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { StartupError, startWirefeed } from './wirefeed.ts';

const config = exitOnConfigError(readConfig);
const logger = createLogger(config.logLevel);

const starting = startWirefeed(config, logger);
let stopping = false;

// Handlers go on before start-up finishes: the server answers (and may be asked to stop) before
// the first build is done, and a signal then must still end in a clean stop, not a kill.
function stop(signal: string): void {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: finishing requests in flight');
  starting
    .then((running) => running.stop())
    .then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

try {
  await starting;
} catch (error) {
  if (error instanceof StartupError) {
    logger.fatal(error.message);
    process.exit(2);
  }
  throw error;
}
