// noderepairpolicies: create, replace (PUT, or a merge patch applied to the object as it is), delete and the reads.
// Changing a policy is RBAC's create/update/patch on noderepairpolicies (the guard's review); a policy that would
// reset nodes (mode Hard) also needs create on nodes/reset for every node, as a Hard restart does, so that a policy
// cannot do what its author may not.
import { randomUUID } from 'node:crypto';
import type { V1Lease } from '@kubernetes/client-node';
import { Injectable } from '@nestjs/common';
import type { CreateOptions, WarningSink } from '../apiserver/create-options.js';
import { applyMergePatch } from '../apiserver/merge-patch.js';
import { ObjectReads } from '../apiserver/object-reads.js';
import type { UserInfo } from '../apiserver/request-context.js';
import { StatusError, authorizationForbidden, badRequest, conflict, notFound } from '../apiserver/status.js';
import { Authorizer } from '../auth/authorizer.js';
import { ServerOptions } from '../config/server-options.js';
import { isHttpStatus } from '../restarts/cluster/leases.js';
import { rfc3339 } from '../restarts/operations/restart-operation.js';
import { createOnNode, RESET_SUBRESOURCE } from '../restarts/request/restart-protections.js';
import {
  POLICY_KIND,
  POLICY_RESOURCE,
  emptyStatus,
  type NodeRepairPolicyRecord,
} from './node-repair-policy.js';
import { parsePolicyRequest, type PolicyRequest } from './policy-request.js';
import { PolicyStore } from './policy-store.js';
import { policyObject, type NodeRepairPolicyObject } from './policy-view.js';
import { RepairRunner } from './repair-runner.js';

@Injectable()
export class NodeRepairPolicyService {
  /** GET, list and watch of the policies. */
  readonly reads: ObjectReads<V1Lease, NodeRepairPolicyRecord, NodeRepairPolicyObject>;

  constructor(
    private readonly store: PolicyStore,
    private readonly authorizer: Authorizer,
    private readonly runner: RepairRunner,
    private readonly options: ServerOptions,
  ) {
    this.reads = new ObjectReads(store, {
      group: options.apiGroup,
      resource: POLICY_RESOURCE,
      kind: POLICY_KIND,
      render: (policy, resourceVersion) => policyObject(options.apiGroup, policy, resourceVersion),
    });
  }

  get group(): string {
    return this.options.apiGroup;
  }

  async create(
    body: unknown,
    user: UserInfo,
    { dryRun, fieldValidation }: CreateOptions,
    warn: WarningSink,
    duplicates: readonly string[] = [],
  ): Promise<NodeRepairPolicyObject> {
    const request = this.parse(body, fieldValidation, warn, duplicates);
    await this.authorize(user, request);
    const policy: NodeRepairPolicyRecord = {
      name: request.name,
      uid: randomUUID(),
      generation: 1,
      createdAt: rfc3339(Date.now()),
      createdBy: user.name,
      spec: request.spec,
      status: emptyStatus(),
    };
    if (dryRun) return policyObject(this.group, policy);
    const stored = await this.store.create(policy);
    void this.runner.kick();
    return policyObject(this.group, stored.record, stored.resourceVersion);
  }

  /** PUT: the spec replaced (generation + 1 when it changed); the status is the server's and stays. */
  async update(
    name: string,
    body: unknown,
    user: UserInfo,
    { dryRun, fieldValidation }: CreateOptions,
    warn: WarningSink,
    duplicates: readonly string[] = [],
  ): Promise<NodeRepairPolicyObject> {
    const request = this.parse(body, fieldValidation, warn, duplicates);
    if (request.name !== name) {
      throw new StatusError(
        badRequest(`the name of the object (${request.name}) does not match the name on the URL (${name})`),
      );
    }
    await this.authorize(user, request);
    const current = await this.store.read(name);
    if (!current) throw new StatusError(notFound(this.target(name)));
    if (request.resourceVersion !== undefined && request.resourceVersion !== current.resourceVersion)
      throw new StatusError(conflict(this.target(name)));
    const changed = JSON.stringify(request.spec) !== JSON.stringify(current.record.spec);
    const policy: NodeRepairPolicyRecord = {
      ...current.record,
      spec: request.spec,
      generation: current.record.generation + (changed ? 1 : 0),
    };
    if (dryRun || !changed) return policyObject(this.group, policy, current.resourceVersion);
    try {
      const stored = await this.store.replace(policy, current.resourceVersion);
      void this.runner.kick();
      return policyObject(this.group, stored.record, stored.resourceVersion);
    } catch (err) {
      if (isHttpStatus(err, 409)) throw new StatusError(conflict(this.target(name)));
      throw err;
    }
  }

  /**
   * A JSON merge patch, applied to the object as kube-apiserver has it now and written as a PUT of the result. A
   * patch that names no resourceVersion is applied again to the new state when the status moved meanwhile, as
   * kube-apiserver retries a patch on a conflict.
   */
  async patch(
    name: string,
    patch: unknown,
    user: UserInfo,
    options: CreateOptions,
    warn: WarningSink,
    duplicates: readonly string[] = [],
  ): Promise<NodeRepairPolicyObject> {
    const pinned = JSON.stringify(patch).includes('"resourceVersion"');
    for (let attempt = 1; ; attempt++) {
      const current = await this.store.read(name);
      if (!current) throw new StatusError(notFound(this.target(name)));
      const object = policyObject(this.group, current.record, current.resourceVersion);
      try {
        return await this.update(name, applyMergePatch(object, patch), user, options, warn, duplicates);
      } catch (err) {
        const conflicted = err instanceof StatusError && err.status.code === 409;
        if (!conflicted || pinned || attempt >= 5) throw err;
      }
    }
  }

  /** DELETE: the policy goes at once; a repair it started runs on as its own restart operation. */
  async delete(
    name: string,
    _user: UserInfo,
    { dryRun }: Pick<CreateOptions, 'dryRun'>,
  ): Promise<NodeRepairPolicyObject> {
    const current = await this.store.read(name);
    if (!current) throw new StatusError(notFound(this.target(name)));
    if (!dryRun) {
      try {
        await this.store.delete(name, current.resourceVersion);
      } catch (err) {
        if (isHttpStatus(err, 409)) throw new StatusError(conflict(this.target(name)));
        if (!isHttpStatus(err, 404)) throw err;
        throw new StatusError(notFound(this.target(name)));
      }
    }
    return policyObject(this.group, current.record, current.resourceVersion);
  }

  private parse(
    body: unknown,
    fieldValidation: CreateOptions['fieldValidation'],
    warn: WarningSink,
    duplicates: readonly string[],
  ): PolicyRequest {
    const floor = this.options.repairMinNotReadyTimeout;
    return parsePolicyRequest(this.group, body, floor, fieldValidation, warn, duplicates);
  }

  /** A Hard policy resets nodes: its author must be allowed to reset every node. */
  private async authorize(user: UserInfo, request: PolicyRequest): Promise<void> {
    if (request.spec.options.mode !== 'Hard') return;
    const info = { ...createOnNode(this.group, '-', RESET_SUBRESOURCE), name: '' };
    const decision = await this.authorizer.authorize(user, info);
    if (decision.decision !== 'allow')
      throw new StatusError(authorizationForbidden(user.name, info, decision.reason));
  }

  private target(name: string) {
    return { group: this.group, resource: POLICY_RESOURCE, name };
  }
}
