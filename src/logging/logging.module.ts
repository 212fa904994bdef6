// JSON request logs: one line per request with its id (kube-apiserver's Audit-Id when proxied), the
// authenticated user and the authorization decision; never credentials.
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ServerOptions } from '../config/server-options.js';
import { requestContext } from '../common/request-context.js';

const QUIET_PATHS = new Set(['/healthz', '/livez', '/readyz', '/metrics']);

function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['audit-id'] ?? req.headers['x-request-id'];
  const id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
  res.setHeader('Audit-Id', id);
  return id;
}

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ServerOptions],
      useFactory: (options: ServerOptions) => ({
        pinoHttp: {
          level: options.logLevel,
          genReqId: requestId,
          autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.has((req.url ?? '').split('?')[0]!) },
          // Only what an operator needs; headers are left out entirely so no credential can leak.
          serializers: {
            req: (req: { id: string; method: string; url: string }) => ({
              id: req.id,
              method: req.method,
              url: req.url,
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          customProps: (req: IncomingMessage) => requestContext(req).logFields(),
          customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
            err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
          redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[REDACTED]' },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
