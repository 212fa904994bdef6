// JSON logs on stdout: Nest's messages and one line per request (see request-log.ts).
import { Global, Module } from '@nestjs/common';
import { pino } from 'pino';
import { ServerOptions } from '../config/server-options.js';
import { PinoNestLogger } from './nest-logger.js';

@Global()
@Module({
  providers: [
    {
      provide: PinoNestLogger,
      inject: [ServerOptions],
      useFactory: (options: ServerOptions) => new PinoNestLogger(pino({ level: options.logLevel })),
    },
  ],
  exports: [PinoNestLogger],
})
export class LoggingModule {}
