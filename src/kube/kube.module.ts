// Kubernetes clients for the three roles k8s.io/apiserver distinguishes (reading our data, authenticating,
// authorizing), each from its own kubeconfig flag, and the Node cache.
import { Global, Module } from '@nestjs/common';
import {
  AuthenticationV1Api,
  AuthorizationV1Api,
  CoordinationV1Api,
  CoreV1Api,
  type KubeConfig,
} from '@kubernetes/client-node';
import { ServerOptions } from '../config/server-options.js';
import { loadKubeConfig } from './kube-config.js';
import { NodeCache } from './node-cache.js';
import {
  AUTH_CORE_API,
  AUTHENTICATION_API,
  AUTHENTICATION_KUBE_CONFIG,
  AUTHORIZATION_API,
  AUTHORIZATION_KUBE_CONFIG,
  CORE_API,
  COORDINATION_API,
  KUBE_CONFIG,
} from './kube.tokens.js';

@Global()
@Module({
  providers: [
    {
      provide: KUBE_CONFIG,
      inject: [ServerOptions],
      useFactory: (o: ServerOptions) => loadKubeConfig(o.kubeconfig),
    },
    {
      provide: AUTHENTICATION_KUBE_CONFIG,
      inject: [ServerOptions, KUBE_CONFIG],
      useFactory: (o: ServerOptions, kc: KubeConfig) =>
        o.authenticationKubeconfig ? loadKubeConfig(o.authenticationKubeconfig) : kc,
    },
    {
      provide: AUTHORIZATION_KUBE_CONFIG,
      inject: [ServerOptions, KUBE_CONFIG],
      useFactory: (o: ServerOptions, kc: KubeConfig) =>
        o.authorizationKubeconfig ? loadKubeConfig(o.authorizationKubeconfig) : kc,
    },
    { provide: CORE_API, inject: [KUBE_CONFIG], useFactory: (kc: KubeConfig) => kc.makeApiClient(CoreV1Api) },
    {
      provide: COORDINATION_API,
      inject: [KUBE_CONFIG],
      useFactory: (kc: KubeConfig) => kc.makeApiClient(CoordinationV1Api),
    },
    {
      provide: AUTH_CORE_API,
      inject: [AUTHENTICATION_KUBE_CONFIG],
      useFactory: (kc: KubeConfig) => kc.makeApiClient(CoreV1Api),
    },
    {
      provide: AUTHENTICATION_API,
      inject: [AUTHENTICATION_KUBE_CONFIG],
      useFactory: (kc: KubeConfig) => kc.makeApiClient(AuthenticationV1Api),
    },
    {
      provide: AUTHORIZATION_API,
      inject: [AUTHORIZATION_KUBE_CONFIG],
      useFactory: (kc: KubeConfig) => kc.makeApiClient(AuthorizationV1Api),
    },
    NodeCache,
  ],
  exports: [
    KUBE_CONFIG,
    AUTHENTICATION_KUBE_CONFIG,
    CORE_API,
    COORDINATION_API,
    AUTH_CORE_API,
    AUTHENTICATION_API,
    AUTHORIZATION_API,
    NodeCache,
  ],
})
export class KubeModule {}
