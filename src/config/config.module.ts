// Makes the validated ServerOptions injectable everywhere, and exposes them through @nestjs/config's
// ConfigService for modules that prefer it.
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ServerOptions } from './server-options.js';

@Global()
@Module({})
export class ServerConfigModule {
  static forRoot(options: ServerOptions): DynamicModule {
    return {
      module: ServerConfigModule,
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ server: options })] })],
      providers: [{ provide: ServerOptions, useValue: options }],
      exports: [ServerOptions],
    };
  }
}
