import { ConfigError } from '../config.ts';

/** Runs `read` (a reader of the environment); a ConfigError ends the process with its message and exit code 2. */
export function exitOnConfigError<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`wirefeed: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
}
