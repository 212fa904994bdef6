// kubectl's connection flags (k8s.io/cli-runtime/pkg/genericclioptions ConfigFlags), which kubectl hands a plugin
// unparsed: which kubeconfig, context, cluster and user; overrides of the server, its CA and the credentials; the
// identity to impersonate; and the per-request timeout. Applied over the loaded kubeconfig as kubectl's
// clientcmd applies them (an override wins over the kubeconfig's value).
import type { Cluster, KubeConfig, User } from '@kubernetes/client-node';
import { parseDuration } from '../config/duration.js';

export interface ConnectionFlags {
  kubeconfig?: string;
  context?: string;
  cluster?: string;
  user?: string;
  server?: string;
  token?: string;
  certificateAuthority?: string;
  clientCertificate?: string;
  clientKey?: string;
  insecureSkipTlsVerify?: boolean;
  tlsServerName?: string;
  /** Impersonation: the Impersonate-User, -Group and -Uid headers. */
  as?: string;
  asGroups?: string[];
  asUid?: string;
  /** Per request; 0: none. */
  requestTimeoutMs?: number;
}

/** node:util parseArgs options of the flags. -n/--namespace is accepted and means nothing: nodes have none. */
export const CONNECTION_FLAG_SPECS = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  cluster: { type: 'string' },
  user: { type: 'string' },
  server: { type: 'string', short: 's' },
  token: { type: 'string' },
  'certificate-authority': { type: 'string' },
  'client-certificate': { type: 'string' },
  'client-key': { type: 'string' },
  'insecure-skip-tls-verify': { type: 'boolean' },
  'tls-server-name': { type: 'string' },
  as: { type: 'string' },
  'as-group': { type: 'string', multiple: true },
  'as-uid': { type: 'string' },
  'request-timeout': { type: 'string' },
  namespace: { type: 'string', short: 'n' },
} as const;

export const CONNECTION_USAGE = `Connection options (as kubectl's):
      --kubeconfig=''           Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)
      --context=''              The kubeconfig context to use
      --cluster=''              The kubeconfig cluster to use
      --user=''                 The kubeconfig user to use
  -s, --server=''               The address and port of the Kubernetes API server
      --token=''                Bearer token for authentication to the API server
      --certificate-authority=''  Path to a cert file for the certificate authority
      --client-certificate=''   Path to a client certificate file for TLS
      --client-key=''           Path to a client key file for TLS
      --insecure-skip-tls-verify=false  Do not check the server's certificate
      --tls-server-name=''      Server name to use for server certificate validation
      --as=''                   Username to impersonate for the operation
      --as-group=[]             Group to impersonate for the operation (repeat for several)
      --as-uid=''               UID to impersonate for the operation
      --request-timeout='0'     How long to wait for one server request (1s, 2m; 0: no limit; default 30s)`;

export class ConnectionFlagError extends Error {
  override readonly name = 'ConnectionFlagError';
}

/** kubectl's --request-timeout: a duration, or a whole number of seconds; 0 is no limit. */
function requestTimeout(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : parseDuration(text);
  if (ms === undefined || ms < 0) {
    throw new ConnectionFlagError(
      `invalid --request-timeout "${text}": use a duration such as 1s or 2m, or 0 for none`,
    );
  }
  return ms;
}

type Values = {
  [K in keyof typeof CONNECTION_FLAG_SPECS]?: K extends 'as-group' ? string[] : string | boolean;
};

export function connectionFlags(values: Values): ConnectionFlags {
  const text = (key: keyof Values) => values[key] as string | undefined;
  const asGroups = (values['as-group'] as string[] | undefined) ?? [];
  if ((asGroups.length > 0 || text('as-uid') !== undefined) && !text('as')) {
    throw new ConnectionFlagError('--as-group and --as-uid need --as: the user to impersonate');
  }
  return {
    kubeconfig: text('kubeconfig'),
    context: text('context'),
    cluster: text('cluster'),
    user: text('user'),
    server: text('server'),
    token: text('token'),
    certificateAuthority: text('certificate-authority'),
    clientCertificate: text('client-certificate'),
    clientKey: text('client-key'),
    insecureSkipTlsVerify: values['insecure-skip-tls-verify'] as boolean | undefined,
    tlsServerName: text('tls-server-name'),
    as: text('as'),
    asGroups,
    asUid: text('as-uid'),
    requestTimeoutMs: requestTimeout(text('request-timeout')),
  };
}

/** The cluster and user the flags name (else the context's), with the flags' overrides applied. */
export function applyConnectionFlags(
  kc: KubeConfig,
  flags: ConnectionFlags,
): { cluster: Cluster; user: User } {
  const context = kc.getContextObject(kc.getCurrentContext());
  const clusterName = flags.cluster ?? context?.cluster ?? '';
  const userName = flags.user ?? context?.user ?? '';
  const found = kc.getCluster(clusterName);
  if (flags.cluster !== undefined && !found)
    throw new ConnectionFlagError(`cluster "${flags.cluster}" not found`);
  const knownUser = kc.getUser(userName);
  if (flags.user !== undefined && !knownUser) throw new ConnectionFlagError(`user "${flags.user}" not found`);
  const insecure = flags.insecureSkipTlsVerify ?? found?.skipTLSVerify ?? false;
  const ca = flags.certificateAuthority;
  if (insecure && ca !== undefined) {
    throw new ConnectionFlagError(
      'specifying a root certificates file with the insecure flag is not allowed',
    );
  }
  const cluster: Cluster = {
    name: clusterName || 'cluster',
    server: flags.server ?? found?.server ?? '',
    skipTLSVerify: insecure,
    ...(found?.proxyUrl && { proxyUrl: found.proxyUrl }),
    ...((flags.tlsServerName ?? found?.tlsServerName) && {
      tlsServerName: flags.tlsServerName ?? found?.tlsServerName,
    }),
    // With --insecure-skip-tls-verify the kubeconfig's CA goes too, as clientcmd drops it.
    ...(!insecure && (ca !== undefined ? { caFile: ca } : { caData: found?.caData, caFile: found?.caFile })),
  };
  let user: User = { ...(knownUser ?? {}), name: userName || 'user' };
  if (flags.token !== undefined) {
    // An explicit token replaces the kubeconfig's other ways to get one.
    const replaced = new Set(['exec', 'authProvider', 'username', 'password']);
    const rest = Object.fromEntries(Object.entries(user).filter(([key]) => !replaced.has(key)));
    user = { ...rest, name: user.name, token: flags.token };
  }
  if (flags.clientCertificate !== undefined)
    user = { ...user, certFile: flags.clientCertificate, certData: undefined };
  if (flags.clientKey !== undefined) user = { ...user, keyFile: flags.clientKey, keyData: undefined };
  return { cluster, user };
}

/** The impersonation headers of the flags (none without --as). */
export function impersonationHeaders(flags: ConnectionFlags): Record<string, string | string[]> {
  if (!flags.as) return {};
  return {
    'Impersonate-User': flags.as,
    ...(flags.asGroups?.length && { 'Impersonate-Group': flags.asGroups }),
    ...(flags.asUid && { 'Impersonate-Uid': flags.asUid }),
  };
}
