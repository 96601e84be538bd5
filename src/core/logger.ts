import { pino, type Logger } from 'pino';

/** Structured JSON logs on stdout (pino); `level` from config (log.level). */
export function createLogger(level: string): Logger {
  return pino({ name: 'tributary', level, base: { pid: process.pid } });
}
