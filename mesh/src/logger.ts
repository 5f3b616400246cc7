import { pino, type Logger } from 'pino';
import { trace } from '@opentelemetry/api';
import { currentRequest } from './request-context.js';

/**
 * JSON logs. Every line carries the request id and the active trace/span ids, so a log line leads to
 * its trace. Secrets are redacted by path as a second line of defence; the first is that request
 * bodies, headers and raw paths are never logged at all.
 */
export function createLogger(service: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    messageKey: 'msg',
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: [
        'password',
        '*.password',
        'token',
        '*.token',
        'accessToken',
        '*.accessToken',
        'refreshToken',
        '*.refreshToken',
        'authorization',
        '*.authorization',
        'headers.authorization',
        'code',
        '*.code',
        'secret',
        '*.secret',
      ],
      censor: '[redacted]',
    },
    mixin() {
      const fields: Record<string, string> = {};
      const req = currentRequest();
      if (req) fields.request_id = req.requestId;
      const span = trace.getActiveSpan()?.spanContext();
      if (span && span.traceId !== '00000000000000000000000000000000') {
        fields.trace_id = span.traceId;
        fields.span_id = span.spanId;
      }
      return fields;
    },
  });
}

export type { Logger };
