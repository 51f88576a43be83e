import { ConsoleLogger, type LogLevel as NestLogLevel } from '@nestjs/common';
import { LOG_LEVELS, type LogLevel } from '@app/config';

const NEST_LEVELS: Record<LogLevel, NestLogLevel> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  info: 'log',
  debug: 'debug',
  verbose: 'verbose',
};

/** JSON lines at LOG_LEVEL and above. */
export function createLogger(serviceName: string, level: LogLevel): ConsoleLogger {
  const enabled = LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1).map((l) => NEST_LEVELS[l]);
  return new ConsoleLogger(serviceName, { json: true, logLevels: enabled, colors: false });
}
