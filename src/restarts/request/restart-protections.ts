// Nodes a restart (or a stop or start) must not touch without saying so: ones their owners opted out with a
// label, and control-plane nodes, which also need `create` on the RBAC-only subresource
// nodes/restart-control-plane, so that a role allowed to restart workers cannot take a control plane down. A hard
// reset through nodes/restart needs `create` on nodes/reset as well, so that a role allowed only graceful restarts
// cannot reset. Refusals are 403 Forbidden.
import { Injectable } from '@nestjs/common';
import type { V1Node } from '@kubernetes/client-node';
import { Authorizer } from '../../auth/authorizer.js';
import type { RequestInfo } from '../../apiserver/request-info.js';
import type { RebootMode } from '../../cloud/contract/provider.js';
import type { UserInfo } from '../../apiserver/request-context.js';
import { StatusError, authorizationForbidden, forbidden } from '../../apiserver/status.js';
import { ServerOptions } from '../../config/server-options.js';
import { VERSION } from '../../apiserver/resource-catalog.js';

export const OPT_OUT_LABEL = 'infraops.michael.io/restart';
export const CONTROL_PLANE_SUBRESOURCE = 'restart-control-plane';
export const RESET_SUBRESOURCE = 'reset';
const CONTROL_PLANE_LABELS = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];

/**
 * What authorization is asked about `create` on nodes/SUBRESOURCE of a node: the attributes RequestInfo reads from a
 * POST to /apis/GROUP/v1/nodes/NAME/SUBRESOURCE, so the review is the one kube-apiserver would send for that request.
 */
export function createOnNode(group: string, name: string, subresource: string): RequestInfo {
  return {
    isResourceRequest: true,
    path: `/apis/${group}/${VERSION}/nodes/${name}/${subresource}`,
    verb: 'create',
    apiPrefix: 'apis',
    apiGroup: group,
    apiVersion: VERSION,
    namespace: '',
    resource: 'nodes',
    subresource,
    name,
    parts: ['nodes', name, subresource],
    fieldSelector: '',
    labelSelector: '',
  };
}

@Injectable()
export class RestartProtections {
  constructor(
    private readonly authorizer: Authorizer,
    private readonly options: ServerOptions,
  ) {}

  async check(
    node: V1Node,
    user: UserInfo,
    { allowControlPlane, mode }: { allowControlPlane: boolean; mode?: RebootMode },
  ): Promise<void> {
    const name = node.metadata!.name!;
    const labels = node.metadata?.labels ?? {};
    const target = { group: this.options.apiGroup, resource: 'nodes', name };
    const refuse = (why: string) => new StatusError(forbidden(target, why));
    if (labels[OPT_OUT_LABEL] === 'disabled') {
      throw refuse(`restarts of node ${name} are disabled by its label ${OPT_OUT_LABEL}=disabled`);
    }
    if (mode === 'Hard') await this.requireCreate(user, name, RESET_SUBRESOURCE);
    if (!CONTROL_PLANE_LABELS.some((label) => label in labels)) return;
    if (!allowControlPlane) {
      throw refuse(
        `node ${name} is a control-plane node: restarting it needs allowControlPlane: true in the options, ` +
          `and create on nodes/${CONTROL_PLANE_SUBRESOURCE}`,
      );
    }
    await this.requireCreate(user, name, CONTROL_PLANE_SUBRESOURCE);
  }

  /** A SubjectAccessReview for create on nodes/SUBRESOURCE, refused with kube-apiserver's own Forbidden text. */
  private async requireCreate(user: UserInfo, name: string, subresource: string): Promise<void> {
    const info = createOnNode(this.options.apiGroup, name, subresource);
    const decision = await this.authorizer.authorize(user, info);
    if (decision.decision !== 'allow') {
      throw new StatusError(authorizationForbidden(user.name, info, decision.reason));
    }
  }
}
