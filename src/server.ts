// The extension API server: flags → options → TLS material → NestJS on HTTPS (the read fast path ahead of
// Express) → listen.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
// The adapter alone: the package's index also loads multer's file-upload interceptors (busboy, a second mime-db),
// which we never use, on every start.
import { ExpressAdapter } from '@nestjs/platform-express/adapters/express-adapter.js';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { HttpsOptions } from '@nestjs/common/interfaces/external/https-options.interface.js';
import type { Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppModule } from './app.module.js';
import { ConfigError, FLAGS, loadServerOptions, type ServerOptions } from './config/server-options.js';
import { usage } from './config/flags.js';
import { TrustStore } from './auth/trust-store.js';
import { HealthService } from './health/health.service.js';
import {
  checkPair,
  loadServingCertificate,
  selfSignedServingCertificate,
} from './tls/serving-certificate.js';
import { TlsContext, tlsOptions, type TlsMaterial } from './tls/tls-context.js';
import { SERVING_LIMITS, limitConnections } from './tls/serving-limits.js';
import { watchFiles } from './common/file-watch.js';
import { isJsonBody, verifyJsonBody } from './apiserver/json-body.js';
import { Logger } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';
import { BASE_LOGGER } from './logging/logging.module.js';
import { requestLog } from './logging/request-log.js';
import { RequestMetrics } from './metrics/request-metrics.js';
import { ReadFastPath } from './apiserver/read-fast-path.js';
import { endAllWatches } from './apiserver/watch/watch-stream.js';
import { RequestAuthenticator } from './auth/request-authenticator.js';
import { RequestAuthorizer } from './auth/request-authorizer.js';
import { ReadRoutes } from './apiserver/read-routes.module.js';
import type { KeyPairPem } from './tls/pki.js';

function parseOptions(argv: string[]): ServerOptions {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(
      `k8s-cloud-node-manager: restart the cloud VM behind a Node, as a Kubernetes API\n\nFlags:\n${usage(FLAGS)}`,
    );
    process.exit(0);
  }
  try {
    return loadServerOptions(argv, process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** Every request is logged, then answered by the read fast path or by Express (and Nest behind it). */
function routeRequests(app: NestExpressApplication): void {
  const server = app.getHttpServer() as Server;
  const [express] = server.listeners('request') as Listener[];
  const fast = new ReadFastPath({
    authenticator: app.get(RequestAuthenticator),
    authorizer: app.get(RequestAuthorizer),
    routes: app.get(ReadRoutes).table,
  });
  const logged = requestLog(app.get<symbol, PinoLogger>(BASE_LOGGER), app.get(RequestMetrics).observe);
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) =>
    logged(req, res, () => fast.handle(req, res) || express!(req, res)),
  );
}

async function servingCertificate(options: ServerOptions, warn: (m: string) => void): Promise<KeyPairPem> {
  if (options.tlsCertFile && options.tlsPrivateKeyFile)
    return loadServingCertificate(options.tlsCertFile, options.tlsPrivateKeyFile);
  warn('no --tls-cert-file given: serving with a self-signed certificate generated in memory');
  return selfSignedServingCertificate(options.bindAddress);
}

export async function bootstrap(argv = process.argv.slice(2)): Promise<NestExpressApplication> {
  const options = parseOptions(argv);
  const serving = await servingCertificate(options, (m) => console.warn(m));
  const material: TlsMaterial = {
    serving,
    clientCas: [],
    minVersion: options.tlsMinVersion as TlsMaterial['minVersion'],
  };
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(options),
    new ExpressAdapter(),
    {
      httpsOptions: { ...tlsOptions(material), ...SERVING_LIMITS } as HttpsOptions,
      bodyParser: false,
      bufferLogs: true,
    },
  );
  const log = app.get(Logger);
  app.useLogger(log);
  app.disable('x-powered-by');
  app.set('etag', false);
  // Nest's type leaves out `verify`, which it sets itself only for `rawBody: true` (not used here).
  app.useBodyParser('json', {
    limit: options.maxRequestBodyBytes,
    type: isJsonBody,
    verify: verifyJsonBody,
  } as Parameters<typeof app.useBodyParser<'json'>>[1]);
  // After a graceful shutdown the process exits 0, as a Go server returning from main does; by default Nest raises
  // the signal again, and the exit status (143) reads as a failure to kubelets and supervisors.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });

  // Watches never end on their own before their timeout: end them, so the server can close its connections.
  app.get(HealthService).onShutdown(endAllWatches);
  const tls = new TlsContext(app.getHttpServer() as Server, material);
  const trust = app.get(TrustStore);
  const caPems = () =>
    [trust.snapshot.clientCa?.pem, trust.snapshot.requestHeader?.ca.pem].filter((p): p is string => !!p);
  trust.onChange(() => tls.update({ clientCas: caPems() }));
  if (options.tlsCertFile && options.tlsPrivateKeyFile) {
    const stop = watchFiles(
      [options.tlsCertFile, options.tlsPrivateKeyFile],
      2000,
      ([cert, key]) => {
        const pair = { certPem: cert!.toString('utf8'), keyPem: key!.toString('utf8') };
        try {
          checkPair(pair); // a rotation writes two files: wait until both are new
          tls.update({ serving: pair });
          log.log(`reloaded the serving certificate from ${options.tlsCertFile}`);
        } catch (err) {
          log.warn(`not reloading the serving certificate yet: ${(err as Error).message}`);
        }
      },
      (err) => log.warn(`cannot reload the serving certificate: ${err.message}`),
    );
    app.get(HealthService).onShutdown(stop);
  }
  await app.init();
  routeRequests(app);
  limitConnections(app.getHttpServer() as Server, options.maxConnections);
  await app.listen(options.securePort, options.bindAddress);
  tls.update({ clientCas: caPems() });
  log.log(`serving ${options.apiGroup} on https://${options.bindAddress}:${options.securePort}`);
  return app;
}
