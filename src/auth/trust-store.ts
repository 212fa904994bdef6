// Whom we trust to authenticate users, as k8s.io/apiserver's delegating authenticator decides it:
// client CAs and the front-proxy (request-header) settings come from flags when given, otherwise from
// kube-system/extension-apiserver-authentication, which kube-apiserver maintains. Both are followed
// live (files re-read, the ConfigMap watched), and listeners hear of every change.
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ListWatch, Watch, type CoreV1Api, type KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import { ServerOptions } from '../config/server-options.js';
import { AUTH_CORE_API, AUTHENTICATION_KUBE_CONFIG } from '../kube/kube.tokens.js';
import { parseCertificateBundle } from '../common/pem.js';
import { watchFiles } from '../common/file-watch.js';

export const AUTHENTICATION_CONFIGMAP = {
  namespace: 'kube-system',
  name: 'extension-apiserver-authentication',
};
const FILE_POLL_MS = 2000;

export interface CaBundle {
  pem: string;
  certs: X509Certificate[];
}

export interface RequestHeaderTrust {
  ca: CaBundle;
  allowedNames: string[];
  usernameHeaders: string[];
  uidHeaders: string[];
  groupHeaders: string[];
  extraHeaderPrefixes: string[];
}

export interface TrustSnapshot {
  /** Increases with every change, so per-connection results can be cached against it. */
  version: number;
  clientCa?: CaBundle;
  requestHeader?: RequestHeaderTrust;
}

function bundle(pem: string | undefined): CaBundle | undefined {
  if (!pem?.trim()) return undefined;
  const certs = parseCertificateBundle(pem);
  return certs.length ? { pem, certs } : undefined;
}

/** ConfigMap lists are JSON arrays stored as strings; "" means none (requestheader_controller.go). */
function jsonList(value: string | undefined): string[] {
  if (!value) return [];
  const parsed: unknown = JSON.parse(value);
  if (!Array.isArray(parsed) || parsed.some((v) => typeof v !== 'string'))
    throw new Error(`not a JSON string list: ${value}`);
  return parsed as string[];
}

@Injectable()
export class TrustStore implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(TrustStore.name);
  private current: TrustSnapshot = { version: 0 };
  private readonly listeners: ((s: TrustSnapshot) => void)[] = [];
  private readonly stops: (() => void)[] = [];
  private stopped = false;
  private informer?: ListWatch<V1ConfigMap>;
  loaded = false;

  constructor(
    private readonly options: ServerOptions,
    @Inject(AUTH_CORE_API) private readonly core: CoreV1Api,
    @Inject(AUTHENTICATION_KUBE_CONFIG) private readonly kc: KubeConfig,
  ) {}

  get snapshot(): TrustSnapshot {
    return this.current;
  }

  onChange(listener: (s: TrustSnapshot) => void): void {
    this.listeners.push(listener);
  }

  private update(change: Partial<Omit<TrustSnapshot, 'version'>>): void {
    this.current = { ...this.current, ...change, version: this.current.version + 1 };
    for (const l of this.listeners) l(this.current);
  }

  /** Loads everything before the server listens; a ConfigMap we may not read stops the start, as in Go. */
  async onApplicationBootstrap(): Promise<void> {
    const o = this.options;
    if (o.clientCaFile) this.followFile(o.clientCaFile, (pem) => ({ clientCa: bundle(pem) }));
    if (o.requestheaderClientCaFile)
      this.followFile(o.requestheaderClientCaFile, (pem) => {
        const ca = bundle(pem);
        return { requestHeader: ca && this.requestHeaderFromFlags(ca) };
      });
    const needConfigMap = !o.clientCaFile || !o.requestheaderClientCaFile;
    if (needConfigMap && !o.authenticationSkipLookup) await this.followConfigMap();
    if (o.clientCaFile) this.update({ clientCa: bundle(await readFile(o.clientCaFile, 'utf8')) });
    if (o.requestheaderClientCaFile) {
      const ca = bundle(await readFile(o.requestheaderClientCaFile, 'utf8'));
      this.update({ requestHeader: ca && this.requestHeaderFromFlags(ca) });
    }
    this.loaded = true;
  }

  private requestHeaderFromFlags(ca: CaBundle): RequestHeaderTrust {
    const o = this.options;
    return {
      ca,
      allowedNames: o.requestheaderAllowedNames,
      usernameHeaders: o.requestheaderUsernameHeaders,
      uidHeaders: o.requestheaderUidHeaders,
      groupHeaders: o.requestheaderGroupHeaders,
      extraHeaderPrefixes: o.requestheaderExtraHeadersPrefix,
    };
  }

  private followFile(path: string, toChange: (pem: string) => Partial<TrustSnapshot>): void {
    this.stops.push(
      watchFiles(
        [path],
        FILE_POLL_MS,
        ([content]) => {
          const change = toChange(content!.toString('utf8'));
          // An emptied file keeps the old bundle, as Go's dynamic CA content does.
          if (Object.values(change).every((v) => v === undefined)) return;
          this.log.log(`reloaded ${path}`);
          this.update(change);
        },
        (err) => this.log.warn(`cannot read ${path}: ${err.message}`),
      ),
    );
  }

  private applyConfigMap(cm: V1ConfigMap | undefined): void {
    const data = cm?.data ?? {};
    const change: Partial<TrustSnapshot> = {};
    try {
      if (!this.options.clientCaFile)
        change.clientCa = bundle(data['client-ca-file']) ?? this.current.clientCa;
      if (!this.options.requestheaderClientCaFile) {
        const ca = bundle(data['requestheader-client-ca-file']) ?? this.current.requestHeader?.ca;
        change.requestHeader = ca && {
          ca,
          allowedNames: jsonList(data['requestheader-allowed-names']),
          usernameHeaders: jsonList(data['requestheader-username-headers']),
          uidHeaders: jsonList(data['requestheader-uid-headers']),
          groupHeaders: jsonList(data['requestheader-group-headers']),
          extraHeaderPrefixes: jsonList(data['requestheader-extra-headers-prefix']),
        };
      }
    } catch (err) {
      this.log.error(
        `ignoring an unreadable ${AUTHENTICATION_CONFIGMAP.name} ConfigMap: ${(err as Error).message}`,
      );
      return;
    }
    this.update(change);
  }

  private async followConfigMap(): Promise<void> {
    const { namespace, name } = AUTHENTICATION_CONFIGMAP;
    try {
      this.applyConfigMap(await this.core.readNamespacedConfigMap({ namespace, name }));
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (code === 404)
        this.log.warn(`${namespace}/${name} not found: front-proxy authentication is off until it appears`);
      else {
        const hint =
          code === 403
            ? ` Usually fixed by 'kubectl create rolebinding -n kube-system ROLEBINDING_NAME --role=extension-apiserver-authentication-reader --serviceaccount=YOUR_NS:YOUR_SA'`
            : '';
        const message = `unable to get configmap/${name} in ${namespace}: ${(err as Error).message}.${hint}`;
        if (!this.options.authenticationTolerateLookupFailure) throw new Error(message);
        this.log.error(message);
      }
    }
    const informer = new ListWatch<V1ConfigMap>(
      `/api/v1/namespaces/${namespace}/configmaps`,
      new Watch(this.kc),
      () => this.core.listNamespacedConfigMap({ namespace, fieldSelector: `metadata.name=${name}` }),
      false,
      undefined,
      `metadata.name=${name}`,
    );
    informer.on('add', (cm) => this.applyConfigMap(cm));
    informer.on('update', (cm) => this.applyConfigMap(cm));
    informer.on('error', (err) => {
      if (this.stopped) return; // onModuleDestroy aborts the watch: not a failure
      this.log.warn(`watching ${namespace}/${name} failed, restarting: ${(err as Error)?.message ?? err}`);
      setTimeout(() => void informer.start().catch(() => undefined), 1000).unref();
    });
    this.informer = informer;
    void informer
      .start()
      .catch((err: Error) => this.log.warn(`watching ${namespace}/${name}: ${err.message}`));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    for (const stop of this.stops) stop();
    await this.informer?.stop();
  }
}
