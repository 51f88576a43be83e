import type { LoggerService } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import pino, { type Logger as Pino } from 'pino';
import type { LogLevel } from '@app/config';
import { REDACT_PATHS, REDACTED, scrubSecrets } from './redaction';
import { currentRequestId } from './request-context';

const PINO_LEVELS: Record<LogLevel, pino.LevelWithSilent> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  info: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/**
 * JSON lines: level, time, service, context, msg, and, when there are, request_id (the
 * X-Request-Id of the HTTP request being served) and trace_id / span_id (the active span), so a
 * log line leads to its request and its trace. Objects are redacted by key; message text by
 * pattern (bearer tokens, JWTs, API keys, the predecessor's secret URL segment).
 */
export function createPino(serviceName: string, level: LogLevel, destination?: pino.DestinationStream): Pino {
  return pino(
    {
      level: PINO_LEVELS[level],
      base: { service: serviceName, pid: process.pid },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      mixin: () => {
        const fields: Record<string, string> = {};
        const requestId = currentRequestId();
        if (requestId) fields.request_id = requestId;
        const span = trace.getActiveSpan()?.spanContext();
        if (span && span.traceId !== '00000000000000000000000000000000') {
          fields.trace_id = span.traceId;
          fields.span_id = span.spanId;
        }
        return fields;
      },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** Nest's LoggerService over pino: Nest's `Logger` instances all write through it. */
export class PinoLoggerService implements LoggerService {
  constructor(private readonly pino: Pino) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  /** Nest passes (message, ...params, context?), and for errors (message, stack?, context?). */
  private write(level: pino.Level, message: unknown, rest: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const params = [...rest];
    const context = typeof params.at(-1) === 'string' ? (params.pop() as string) : undefined;
    const fields: Record<string, unknown> = {};
    if (context) fields.context = context;
    const stack = params.find((p): p is string => typeof p === 'string' && p.includes('\n    at '));
    if (stack) fields.stack = scrubSecrets(stack);
    if (message instanceof Error) {
      fields.err = {
        type: message.name,
        message: scrubSecrets(message.message),
        stack: scrubSecrets(message.stack ?? ''),
      };
      this.pino[level](fields, scrubSecrets(message.message));
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level]({ ...fields, ...(message as Record<string, unknown>) });
    } else {
      this.pino[level](fields, scrubSecrets(String(message)));
    }
  }
}

/** JSON lines at LOG_LEVEL and above, on stdout. */
export function createLogger(serviceName: string, level: LogLevel): PinoLoggerService {
  return new PinoLoggerService(createPino(serviceName, level));
}
