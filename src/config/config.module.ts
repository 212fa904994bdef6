// Makes the validated ServerOptions injectable everywhere, by their class: each module asks for the typed options
// it reads (docs/architecture.md says why not @nestjs/config's ConfigService).
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ServerOptions } from './server-options.js';

@Global()
@Module({})
export class ServerConfigModule {
  static forRoot(options: ServerOptions): DynamicModule {
    return {
      module: ServerConfigModule,
      providers: [{ provide: ServerOptions, useValue: options }],
      exports: [ServerOptions],
    };
  }
}
