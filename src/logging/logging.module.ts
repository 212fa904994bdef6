// JSON logs on stdout (log-destination.ts) from one pino logger: the application's and Nest's own messages through
// nestjs-pino's Logger, Nest's logger (server.ts), and one line per request written by request-log.ts.
import { Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { pino, type Logger } from 'pino';
import { ServerOptions } from '../config/server-options.js';
import { logDestination } from './log-destination.js';

/** The pino logger every line goes through: request-log.ts writes to it directly. */
export const BASE_LOGGER = Symbol('base pino logger');

@Global()
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [BASE_LOGGER],
      useFactory: (logger: Logger) => ({
        pinoHttp: { logger },
        // No pino-http middleware: the request line is request-log.ts's (see there why).
        forRoutes: [],
      }),
    }),
  ],
  providers: [
    {
      provide: BASE_LOGGER,
      inject: [ServerOptions],
      useFactory: (options: ServerOptions): Logger => pino({ level: options.logLevel }, logDestination()),
    },
  ],
  exports: [BASE_LOGGER, LoggerModule],
})
export class LoggingModule {}
