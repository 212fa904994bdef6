// The server's settings: the flag table, and the typed, validated ServerOptions every module injects.
import 'reflect-metadata';
import { IsIn, IsInt, IsIP, Matches, Max, Min, validateSync } from 'class-validator';
import { parseFlags, type FlagSpec, type FlagValue } from './flags.js';
import { parseLabelSelector } from '../apiserver/selectors/label-selector.js';

export const FLAGS: FlagSpec[] = [
  { name: 'secure-port', kind: 'int', default: '8443', help: 'The port on which to serve HTTPS.' },
  { name: 'bind-address', kind: 'string', default: '0.0.0.0', help: 'The IP address on which to listen.' },
  {
    name: 'tls-cert-file',
    kind: 'string',
    help: 'Serving certificate (PEM); reloaded when it changes. Without it a self-signed one is generated.',
  },
  { name: 'tls-private-key-file', kind: 'string', help: 'Private key of --tls-cert-file (PEM).' },
  {
    name: 'tls-min-version',
    kind: 'string',
    default: 'VersionTLS12',
    help: 'Minimum TLS version: VersionTLS12 or VersionTLS13.',
  },
  {
    name: 'client-ca-file',
    kind: 'string',
    help: 'Trust client certificates signed by these CAs (CN = user, O = groups). Overrides the ConfigMap.',
  },
  {
    name: 'requestheader-client-ca-file',
    kind: 'string',
    help: 'Front-proxy CA bundle: only proxies with a certificate from it may assert X-Remote-* identities. Overrides the ConfigMap.',
  },
  {
    name: 'requestheader-allowed-names',
    kind: 'list',
    help: 'Common names the front-proxy certificate may have; empty allows any.',
  },
  {
    name: 'requestheader-username-headers',
    kind: 'list',
    default: 'X-Remote-User',
    help: 'Headers to read the user name from.',
  },
  { name: 'requestheader-uid-headers', kind: 'list', help: 'Headers to read the user UID from.' },
  {
    name: 'requestheader-group-headers',
    kind: 'list',
    default: 'X-Remote-Group',
    help: 'Headers to read groups from.',
  },
  {
    name: 'requestheader-extra-headers-prefix',
    kind: 'list',
    default: 'X-Remote-Extra-',
    help: 'Header prefixes for user extras.',
  },
  {
    name: 'kubeconfig',
    kind: 'string',
    help: 'kubeconfig for reading Nodes; in-cluster configuration when empty.',
  },
  {
    name: 'authentication-kubeconfig',
    kind: 'string',
    help: 'kubeconfig for TokenReviews and the authentication ConfigMap (default: --kubeconfig).',
  },
  {
    name: 'authorization-kubeconfig',
    kind: 'string',
    help: 'kubeconfig for SubjectAccessReviews (default: --kubeconfig).',
  },
  {
    name: 'authentication-skip-lookup',
    kind: 'bool',
    default: 'false',
    help: 'Do not read kube-system/extension-apiserver-authentication.',
  },
  {
    name: 'authentication-tolerate-lookup-failure',
    kind: 'bool',
    default: 'false',
    help: 'Start even if the authentication ConfigMap cannot be read.',
  },
  {
    name: 'authentication-token-webhook-cache-ttl',
    kind: 'duration',
    default: '10s',
    help: 'How long to cache TokenReview results.',
  },
  {
    name: 'authorization-webhook-cache-authorized-ttl',
    kind: 'duration',
    default: '10s',
    help: 'How long to cache allowed SubjectAccessReview results.',
  },
  {
    name: 'authorization-webhook-cache-unauthorized-ttl',
    kind: 'duration',
    default: '10s',
    help: 'How long to cache denied SubjectAccessReview results.',
  },
  {
    name: 'authorization-always-allow-paths',
    kind: 'list',
    default: '/healthz,/readyz,/livez',
    help: 'Non-resource paths allowed without authorization ("*" suffix for a prefix).',
  },
  { name: 'api-group', kind: 'string', default: 'infraops.michael.io', help: 'The API group served.' },
  {
    name: 'max-request-body-bytes',
    kind: 'int',
    default: '65536',
    help: 'Larger request bodies are refused with 413.',
  },
  {
    name: 'max-connections',
    kind: 'int',
    default: '500',
    help: 'Open client connections at most; more are closed as they arrive. Each costs ~70 KiB of memory (TLS) while open, kept by the process after it closes: 500 is ~35 MiB of the 256Mi limit.',
  },
  {
    name: 'shutdown-delay-duration',
    kind: 'duration',
    default: '0s',
    help: 'After SIGTERM, keep serving (not ready) this long before closing the listener.',
  },
  {
    name: 'operations-namespace',
    kind: 'string',
    default: '',
    help: "Namespace of the restart operation Leases; default: the pod's own (POD_NAMESPACE or the service account's), else k8s-cloud-node-manager.",
  },
  {
    name: 'restart-timeout',
    kind: 'duration',
    default: '15m',
    help: 'A restart that has not brought its node back Ready with a new bootID by then fails.',
  },
  {
    name: 'max-concurrent-restarts',
    kind: 'int',
    default: '0',
    help: 'Restarts in progress at once across the cluster and all replicas; more get 429. 0: no limit.',
  },
  {
    name: 'pool-label',
    kind: 'string',
    default: '',
    help: 'Node label whose value names the node pool, for --max-concurrent-restarts-per-pool (e.g. eks.amazonaws.com/nodegroup).',
  },
  {
    name: 'max-concurrent-restarts-per-pool',
    kind: 'int',
    default: '0',
    help: 'Restarts in progress at once within one pool (nodes with the same --pool-label value); more get 429. 0: no limit.',
  },
  {
    name: 'blocking-pod-selector',
    kind: 'string',
    default: '',
    help: 'Label selector of pods that block restarts of the node they run on (409 while one is there), as kured has it.',
  },
  {
    name: 'list-page-size',
    kind: 'int',
    default: '500',
    help: 'Nodes per list request when the Node cache lists (limit and continue, as client-go pages), where kube-apiserver does not stream the initial state (sendInitialEvents); 0: one request.',
  },
  {
    name: 'watch-cache-size',
    kind: 'int',
    default: '0',
    help: "Changes kept per resource for watches to resume from and for continue tokens (as kube-apiserver's --default-watch-cache-size); older ones are 410 Expired. 0: 10,000 Node and 1,000 RestartBatch changes.",
  },
  {
    name: 'node-encoding-cache-mib',
    kind: 'int',
    default: '16',
    help: "MiB of Nodes' encoded views kept between reads (~2 KB per kubelet Node: 16 holds ~8,000); Nodes past it are encoded as each read reaches them. 0: none kept.",
  },
  {
    name: 'repair-min-not-ready-timeout',
    kind: 'duration',
    default: '3m',
    help: 'The least notReadyTimeout a NodeRepairPolicy may have (a node rebooting for an update is NotReady for minutes). Lower only for tests and demonstrations, never in production.',
  },
  { name: 'log-level', kind: 'string', default: 'info', help: 'trace, debug, info, warn, error or silent.' },
];

const GROUP = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Settings after parsing and validation; durations in milliseconds. */
export class ServerOptions {
  @IsInt() @Min(1) @Max(65535) securePort!: number;
  @IsIP() bindAddress!: string;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  @IsIn(['VersionTLS12', 'VersionTLS13']) tlsMinVersion!: string;
  clientCaFile?: string;
  requestheaderClientCaFile?: string;
  requestheaderAllowedNames!: string[];
  requestheaderUsernameHeaders!: string[];
  requestheaderUidHeaders!: string[];
  requestheaderGroupHeaders!: string[];
  requestheaderExtraHeadersPrefix!: string[];
  kubeconfig?: string;
  authenticationKubeconfig?: string;
  authorizationKubeconfig?: string;
  authenticationSkipLookup!: boolean;
  authenticationTolerateLookupFailure!: boolean;
  @Min(0) authenticationTokenWebhookCacheTtl!: number;
  @Min(0) authorizationWebhookCacheAuthorizedTtl!: number;
  @Min(0) authorizationWebhookCacheUnauthorizedTtl!: number;
  authorizationAlwaysAllowPaths!: string[];
  @Matches(GROUP, { message: 'apiGroup must be a DNS subdomain such as infraops.michael.io' })
  apiGroup!: string;
  @IsInt() @Min(1024) @Max(64 << 20) maxRequestBodyBytes!: number;
  @IsInt() @Min(1) maxConnections!: number;
  @Min(0) shutdownDelayDuration!: number;
  operationsNamespace!: string;
  @Min(1000) restartTimeout!: number;
  @IsInt() @Min(0) maxConcurrentRestarts!: number;
  poolLabel!: string;
  @IsInt() @Min(0) maxConcurrentRestartsPerPool!: number;
  blockingPodSelector!: string;
  @IsInt() @Min(0) listPageSize!: number;
  @IsInt() @Min(0) watchCacheSize!: number;
  @IsInt() @Min(0) nodeEncodingCacheMib!: number;
  @Min(1000) repairMinNotReadyTimeout!: number;
  @IsIn(['trace', 'debug', 'info', 'warn', 'error', 'silent']) logLevel!: string;
}

export class ConfigError extends Error {}

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Parses and validates everything at once, so an operator sees every bad value in one error. */
export function loadServerOptions(argv: string[], env: NodeJS.ProcessEnv): ServerOptions {
  const { values, errors, sources, invalid } = parseFlags(FLAGS, argv, env);
  const options = Object.assign(new ServerOptions(), {
    requestheaderAllowedNames: [],
    requestheaderUidHeaders: [],
    ...Object.fromEntries([...values].map(([k, v]): [string, FlagValue] => [camel(k), v])),
  });
  const flagOf = new Map(FLAGS.map((f) => [camel(f.name), f.name]));
  for (const e of validateSync(options)) {
    const flag = flagOf.get(e.property);
    // A value that could not even be converted has its error already; its constraints would only repeat it.
    if (flag && invalid.has(flag)) continue;
    const from = flag && sources.get(flag);
    for (const message of Object.values(e.constraints ?? {})) {
      const what = message.startsWith(`${e.property} `) ? message.slice(e.property.length + 1) : message;
      errors.push(from ? `${from.source}: "${from.text}" ${what}` : message);
    }
  }
  if (options.blockingPodSelector) {
    try {
      parseLabelSelector(options.blockingPodSelector);
    } catch (err) {
      errors.push(`--blocking-pod-selector: ${(err as Error).message}`);
    }
  }
  if (!!options.tlsCertFile !== !!options.tlsPrivateKeyFile)
    errors.push('--tls-cert-file and --tls-private-key-file must be given together');
  if (errors.length) throw new ConfigError(`invalid configuration:\n  - ${errors.join('\n  - ')}`);
  return options;
}
