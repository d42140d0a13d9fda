import { ConfigError, readConfig } from './config.ts';
import { ScheduleError } from './jobs/schedule.ts';
import { createLogger } from './logger.ts';
import { StartupError, startWirefeed } from './wirefeed.ts';

const config = (() => {
  try {
    return readConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`wirefeed: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
})();
const logger = createLogger(config.logLevel);

try {
  const running = await startWirefeed(config, logger);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} catch (error) {
  if (error instanceof StartupError || error instanceof ScheduleError) {
    logger.fatal(error.message);
    process.exit(2);
  }
  throw error;
}
