import pino from 'pino';

export type Logger = pino.Logger;

/**
 * JSON lines for log collectors; readable lines when a person watches a terminal (pino-pretty, in
 * pino's worker thread so the server's own thread does not pay for the formatting).
 */
export function createLogger(level: string, options: { pretty?: boolean } = {}): Logger {
  const pretty = options.pretty ?? false;
  return pino({
    level,
    base: { service: 'egov-api' },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'service,pid,hostname' } } } : {}),
  });
}
