// Requests to kube-apiserver with the user's kubeconfig, loaded as kubectl loads it: --kubeconfig alone, else
// $KUBECONFIG (merged, current context from the first file), else ~/.kube/config; then --context, and kubectl's
// other connection flags over it (connection-flags.ts: cluster, user, server, CA, token, impersonation). Credentials
// (client certificates, tokens, exec plugins such as `aws eks get-token`, OIDC) are applied by
// @kubernetes/client-node. The plugin never talks to our server directly.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { apiError, ConnectError } from './api-error.js';
import { applyConnectionFlags, impersonationHeaders, type ConnectionFlags } from './connection-flags.js';

/** Without --request-timeout, a request that gets no answer in 30s fails. */
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export class KubeClient {
  private constructor(
    readonly kc: KubeConfig,
    readonly server: string,
    private readonly requestTimeoutMs: number,
    private readonly headers: Record<string, string | string[]>,
  ) {}

  /** Throws an Error with kubectl's wording when the kubeconfig or context cannot be used. */
  static load(options: ConnectionFlags): KubeClient {
    const loaded = new KubeConfig();
    const kc = loaded;
    if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
    else kc.loadFromDefault(undefined, true);
    if (options.context) {
      if (!kc.getContextObject(options.context)) {
        throw new Error(`context was not found for specified context: ${options.context}`);
      }
      kc.setCurrentContext(options.context);
    }
    const { cluster, user } = applyConnectionFlags(loaded, options);
    const effective = new KubeConfig();
    effective.loadFromOptions({
      clusters: [cluster],
      users: [user],
      contexts: [{ name: 'kubectl-restart', cluster: cluster.name, user: user.name }],
      currentContext: 'kubectl-restart',
    });
    if (!cluster.server) {
      throw new Error(
        'no server found for the current context: set one with --kubeconfig, KUBECONFIG or --context',
      );
    }
    return new KubeClient(
      effective,
      cluster.server.replace(/\/+$/, ''),
      options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      impersonationHeaders(options),
    );
  }

  /** The parsed JSON answer of a 2xx response; ApiError for any other, ConnectError when none came. */
  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    return (await this.send<T>(method, path, body)).body;
  }

  /** As request(), with the HTTP status code of the 2xx answer. */
  async send<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ code: number; body: T }> {
    const opts: RequestOptions = {
      method,
      headers: { Accept: 'application/json', 'User-Agent': 'kubectl-restart', ...this.headers },
    };
    try {
      await this.kc.applyToHTTPSOptions(opts);
    } catch (err) {
      throw new ConnectError(`getting credentials: ${(err as Error).message}`);
    }
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) Object.assign(opts.headers!, { 'Content-Type': 'application/json' });
    const url = new URL(`${this.server}${path}`);
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    const { code, text } = await new Promise<{ code: number; text: string }>((resolve, reject) => {
      const req = send(url, { ...opts, timeout: this.requestTimeoutMs }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, text }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.requestTimeoutMs / 1000}s`)));
      req.on('error', (err) => reject(new ConnectError(err.message)));
      req.end(payload);
    });
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (code < 200 || code > 299) throw apiError(code, json, text);
    return { code, body: json as T };
  }
}
