import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envName } from '../../../src/config/flags.js';
import {
  ConfigError,
  FLAGS,
  loadServerOptions,
  type ServerOptions,
} from '../../../src/config/server-options.js';

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

test('the defaults of k8s.io/apiserver and metrics-server', () => {
  const o = loadServerOptions([], {});
  assert.equal(o.securePort, 8443);
  assert.equal(o.bindAddress, '0.0.0.0');
  assert.equal(o.tlsMinVersion, 'VersionTLS12');
  assert.equal(o.tlsCertFile, undefined);
  assert.deepEqual(o.requestheaderAllowedNames, []);
  assert.deepEqual(o.requestheaderUsernameHeaders, ['X-Remote-User']);
  assert.deepEqual(o.requestheaderUidHeaders, []);
  assert.deepEqual(o.requestheaderGroupHeaders, ['X-Remote-Group']);
  assert.deepEqual(o.requestheaderExtraHeadersPrefix, ['X-Remote-Extra-']);
  assert.equal(o.authenticationSkipLookup, false);
  assert.equal(o.authenticationTolerateLookupFailure, false);
  assert.equal(o.authenticationTokenWebhookCacheTtl, 10_000);
  assert.equal(o.authorizationWebhookCacheAuthorizedTtl, 10_000);
  assert.equal(o.authorizationWebhookCacheUnauthorizedTtl, 10_000);
  assert.deepEqual(o.authorizationAlwaysAllowPaths, ['/healthz', '/readyz', '/livez']);
  assert.equal(o.apiGroup, 'infraops.michael.io');
  assert.equal(o.maxRequestBodyBytes, 65536);
  assert.equal(o.shutdownDelayDuration, 0);
  assert.equal(o.logLevel, 'info');
});

/** A valid, non-default command-line text for every flag, and the option value it must give. */
const SAMPLES: Record<string, [string, unknown]> = {
  'secure-port': ['9443', 9443],
  'bind-address': ['127.0.0.1', '127.0.0.1'],
  'tls-cert-file': ['/tls/tls.crt', '/tls/tls.crt'],
  'tls-private-key-file': ['/tls/tls.key', '/tls/tls.key'],
  'tls-min-version': ['VersionTLS13', 'VersionTLS13'],
  'client-ca-file': ['/ca/client-ca.crt', '/ca/client-ca.crt'],
  'requestheader-client-ca-file': ['/ca/front-proxy-ca.crt', '/ca/front-proxy-ca.crt'],
  'requestheader-allowed-names': ['front-proxy-client,aggregator', ['front-proxy-client', 'aggregator']],
  'requestheader-username-headers': ['X-Remote-User,X-User', ['X-Remote-User', 'X-User']],
  'requestheader-uid-headers': ['X-Remote-Uid', ['X-Remote-Uid']],
  'requestheader-group-headers': ['X-Remote-Group,X-Group', ['X-Remote-Group', 'X-Group']],
  'requestheader-extra-headers-prefix': ['X-Remote-Extra-,X-Extra-', ['X-Remote-Extra-', 'X-Extra-']],
  kubeconfig: ['/kube/config', '/kube/config'],
  'authentication-kubeconfig': ['/kube/authn', '/kube/authn'],
  'authorization-kubeconfig': ['/kube/authz', '/kube/authz'],
  'authentication-skip-lookup': ['true', true],
  'authentication-tolerate-lookup-failure': ['true', true],
  'authentication-token-webhook-cache-ttl': ['30s', 30_000],
  'authorization-webhook-cache-authorized-ttl': ['5m', 300_000],
  'authorization-webhook-cache-unauthorized-ttl': ['1m30s', 90_000],
  'authorization-always-allow-paths': ['/healthz,/metrics*', ['/healthz', '/metrics*']],
  'api-group': ['nodes.example.com', 'nodes.example.com'],
  'max-request-body-bytes': ['1048576', 1048576],
  'max-connections': ['500', 500],
  'shutdown-delay-duration': ['15s', 15_000],
  'operations-namespace': ['node-ops', 'node-ops'],
  'restart-timeout': ['20m', 1_200_000],
  'max-concurrent-restarts': ['2', 2],
  'pool-label': ['eks.amazonaws.com/nodegroup', 'eks.amazonaws.com/nodegroup'],
  'max-concurrent-restarts-per-pool': ['2', 2],
  'blocking-pod-selector': ['restart-blocker=true', 'restart-blocker=true'],
  'list-page-size': ['100', 100],
  'watch-cache-size': ['50', 50],
  'node-encoding-cache-mib': ['64', 64],
  'repair-min-not-ready-timeout': ['5s', 5000],
  'log-level': ['debug', 'debug'],
};

test('the sample table covers every flag', () => {
  assert.deepEqual(Object.keys(SAMPLES).sort(), FLAGS.map((f) => f.name).sort());
});

test('every flag parses from the command line into its option', () => {
  const argv = Object.entries(SAMPLES).map(([name, [text]]) => `--${name}=${text}`);
  const o = loadServerOptions(argv, {});
  for (const [name, [, expected]] of Object.entries(SAMPLES))
    assert.deepEqual(o[camel(name) as keyof ServerOptions], expected, `--${name}`);
});

test('every flag can be set from its environment variable', () => {
  const env = Object.fromEntries(Object.entries(SAMPLES).map(([name, [text]]) => [envName(name), text]));
  assert.equal(env.SECURE_PORT, '9443');
  const o = loadServerOptions([], env);
  for (const [name, [, expected]] of Object.entries(SAMPLES))
    assert.deepEqual(o[camel(name) as keyof ServerOptions], expected, envName(name));
});

test('a flag wins over its environment variable', () => {
  const o = loadServerOptions(['--secure-port=9443', '--log-level', 'warn'], {
    SECURE_PORT: '7443',
    LOG_LEVEL: 'error',
    API_GROUP: 'nodes.example.com',
  });
  assert.equal(o.securePort, 9443);
  assert.equal(o.logLevel, 'warn');
  assert.equal(o.apiGroup, 'nodes.example.com');
});

test('one error lists every bad value, each with the flag or variable and the value', () => {
  let error: unknown;
  try {
    loadServerOptions(
      [
        '--secure-port=70000',
        '--bind-address=localhost',
        '--tls-min-version=VersionTLS10',
        '--tls-cert-file=/only/the/cert',
        '--api-group=Bad_Group',
        '--authentication-token-webhook-cache-ttl=10 seconds',
        '--max-request-body-bytes=abc',
        '--log-level=chatty',
        '--no-such-flag',
      ],
      { AUTHENTICATION_SKIP_LOOKUP: 'sure', SHUTDOWN_DELAY_DURATION: '-1s' },
    );
  } catch (err) {
    error = err;
  }
  assert.ok(error instanceof ConfigError);
  assert.match(error.message, /^invalid configuration:\n {2}- /);
  const lines = error.message
    .split('\n')
    .slice(1)
    .map((l) => l.replace(/^ {2}- /, ''));
  assert.deepEqual(lines.sort(), [
    '--api-group: "Bad_Group" must be a DNS subdomain such as infraops.michael.io',
    '--authentication-token-webhook-cache-ttl: "10 seconds" is not a duration such as 10s or 1m30s',
    '--bind-address: "localhost" must be an ip address',
    '--log-level: "chatty" must be one of the following values: trace, debug, info, warn, error, silent',
    '--max-request-body-bytes: "abc" is not an integer',
    '--secure-port: "70000" must not be greater than 65535',
    '--tls-cert-file and --tls-private-key-file must be given together',
    '--tls-min-version: "VersionTLS10" must be one of the following values: VersionTLS12, VersionTLS13',
    'environment AUTHENTICATION_SKIP_LOOKUP: "sure" is not a boolean',
    'environment SHUTDOWN_DELAY_DURATION: "-1s" is not a duration such as 10s or 1m30s',
    'unknown flag or argument "--no-such-flag"',
  ]);
});

test('limits: ports, body sizes and TTLs out of range', () => {
  assert.throws(
    () => loadServerOptions(['--secure-port=0'], {}),
    /--secure-port: "0" must not be less than 1/,
  );
  assert.throws(
    () => loadServerOptions(['--max-request-body-bytes=100'], {}),
    /--max-request-body-bytes: "100" must not be less than 1024/,
  );
  assert.equal(
    loadServerOptions(['--authorization-webhook-cache-authorized-ttl=0'], {})
      .authorizationWebhookCacheAuthorizedTtl,
    0,
  );
});

test('repeated list flags collect their values', () => {
  const o = loadServerOptions(
    ['--requestheader-allowed-names=front-proxy-client', '--requestheader-allowed-names=aggregator'],
    {},
  );
  assert.deepEqual(o.requestheaderAllowedNames, ['front-proxy-client', 'aggregator']);
});

test('a blocking pod selector that is no label selector is refused at start', () => {
  assert.throws(
    () => loadServerOptions(['--blocking-pod-selector=a in (b'], {}),
    /--blocking-pod-selector: .*/,
  );
  assert.equal(loadServerOptions(['--blocking-pod-selector=a in (b)'], {}).blockingPodSelector, 'a in (b)');
});
