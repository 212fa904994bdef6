// JSON logs on stdout (log-destination.ts): Nest's messages and one line per request (see request-log.ts).
import { Global, Module } from '@nestjs/common';
import { pino } from 'pino';
import { ServerOptions } from '../config/server-options.js';
import { logDestination } from './log-destination.js';
import { PinoNestLogger } from './nest-logger.js';

@Global()
@Module({
  providers: [
    {
      provide: PinoNestLogger,
      inject: [ServerOptions],
      useFactory: (options: ServerOptions) =>
        new PinoNestLogger(pino({ level: options.logLevel }, logDestination())),
    },
  ],
  exports: [PinoNestLogger],
})
export class LoggingModule {}
