// Who the server is to kube-apiserver, asked once with a SelfSubjectReview (authentication.k8s.io/v1): repairs are
// restarts requested by this identity, checked (the reset and control-plane reviews) as any requester's are.
import { Inject, Injectable } from '@nestjs/common';
import { AuthenticationV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { UserInfo } from '../apiserver/request-context.js';
import { KUBE_CONFIG } from '../kube/kube.tokens.js';

@Injectable()
export class ServerIdentity {
  private readonly api: AuthenticationV1Api;
  private known?: UserInfo;

  constructor(@Inject(KUBE_CONFIG) kc: KubeConfig) {
    this.api = kc.makeApiClient(AuthenticationV1Api);
  }

  /** Throws while kube-apiserver cannot say: no repair is asked for in the name of an unknown identity. */
  async user(): Promise<UserInfo> {
    if (this.known) return this.known;
    const review = await this.api.createSelfSubjectReview({
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    const info = review.status?.userInfo;
    if (!info?.username) throw new Error('the SelfSubjectReview named no user');
    this.known = { name: info.username, groups: info.groups ?? [], ...(info.uid ? { uid: info.uid } : {}) };
    return this.known;
  }
}
