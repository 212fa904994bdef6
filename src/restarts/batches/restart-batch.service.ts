// POST restartbatches: the nodes the selector matches now, each checked as a single restart would be for
// this user (create on nodes/restart, by name unless allowed for all), recorded as a batch that the
// BatchRunner carries out. GET reads batches back.
import { randomUUID } from 'node:crypto';
import type { V1Lease } from '@kubernetes/client-node';
import { Inject, Injectable } from '@nestjs/common';
import { Authorizer } from '../../auth/authorizer.js';
import * as field from '../../apiserver/field-errors.js';
import type { CreateOptions, WarningSink } from '../../apiserver/create-options.js';
import type { UserInfo } from '../../apiserver/request-context.js';
import { matchesLabels, parseLabelSelector } from '../../apiserver/selectors/label-selector.js';
import { StatusError, authorizationForbidden, invalid, notFound } from '../../apiserver/status.js';
import { ServerOptions } from '../../config/server-options.js';
import { VERSION } from '../../apiserver/resource-catalog.js';
import { createOnNode } from '../request/restart-protections.js';
import { parseNodeSelection, selects } from '../../nodes/node-selection.js';
import { NodeCache } from '../../kube/node-cache.js';
import type { NodeReader } from '../cluster/node-reader.js';
import { isHttpStatus } from '../cluster/leases.js';
import { rfc3339 } from '../operations/restart-operation.js';
import { BatchRunner } from './batch-runner.js';
import { BatchStore, type StoredBatch } from './batch-store.js';
import { cutPage, pageStart, type Page, type PageQuery } from '../../apiserver/list-page.js';
import { listedState } from '../../apiserver/watch/list-options.js';
import { BATCH_KIND, checkBatchPatch, parseBatchRequest } from './batch-request.js';
import { applyMergePatch } from '../../apiserver/merge-patch.js';
import { batchObject, batchMessage, type RestartBatchObject } from './batch-view.js';
import type { RestartBatchRecord } from './restart-batch.js';

interface SelectorQuery {
  labelSelector?: string;
  fieldSelector?: string;
}

/** SubjectAccessReviews in flight at once when a user may restart only some nodes by name. */
const REVIEWS_AT_ONCE = 8;

@Injectable()
export class RestartBatchService {
  constructor(
    @Inject(NodeCache) private readonly nodes: NodeReader,
    private readonly authorizer: Authorizer,
    private readonly store: BatchStore,
    private readonly runner: BatchRunner,
    private readonly options: ServerOptions,
  ) {}

  async create(
    body: unknown,
    user: UserInfo,
    { dryRun, fieldValidation }: CreateOptions,
    warn: WarningSink,
    duplicates: readonly string[] = [],
  ): Promise<RestartBatchObject> {
    const group = this.options.apiGroup;
    const request = parseBatchRequest(group, body, fieldValidation, warn, duplicates);
    const selector = parseLabelSelector(request.labelSelector);
    const names = this.nodes
      .list()
      .filter((node) => matchesLabels(selector, node.metadata?.labels))
      .map((node) => node.metadata!.name!);
    if (names.length === 0) {
      const error = field.invalid('spec.labelSelector', request.labelSelector, 'matches no nodes');
      throw new StatusError(invalid({ group, kind: BATCH_KIND, name: request.name }, [error]));
    }
    await this.authorizeAll(user, names);
    const now = rfc3339(Date.now());
    const nodes = names.map((name) => ({ name, phase: 'Pending' as const }));
    const { suspend, ...spec } = request;
    const batch: RestartBatchRecord = {
      ...spec,
      ...(suspend ? { suspension: { suspended: true, by: user.name, at: now } } : {}),
      uid: randomUUID(),
      user,
      phase: 'Running',
      nodes,
      startedAt: now,
      updatedAt: now,
      message: batchMessage(nodes, request.maxUnavailable),
    };
    if (dryRun) return batchObject(group, batch);
    const stored = await this.store.create(batch);
    void this.runner.kick();
    return batchObject(group, stored.batch, stored.resourceVersion);
  }

  /**
   * A merge patch: only `spec.suspend` may change (the status is the server's). Suspending stops the batch from
   * starting more nodes, resuming lets it go on; written with the batch's resourceVersion, so no replica claims a
   * node after a suspend, and told as an Event on each node still Pending.
   */
  async patch(
    name: string,
    patch: unknown,
    { dryRun, fieldValidation }: CreateOptions,
    user: UserInfo,
    warn: WarningSink,
    duplicates: readonly string[] = [],
  ): Promise<RestartBatchObject> {
    const group = this.options.apiGroup;
    for (let attempt = 1; ; attempt++) {
      const stored = await this.store.read(name);
      if (!stored) throw new StatusError(notFound({ group, resource: 'restartbatches', name }));
      const current = batchObject(group, stored.batch, stored.resourceVersion);
      const suspend = checkBatchPatch(
        group,
        current,
        applyMergePatch(current, patch),
        fieldValidation,
        warn,
        duplicates,
      );
      if (suspend === current.spec.suspend) return current;
      const at = rfc3339(Date.now());
      const batch = { ...stored.batch, suspension: { suspended: suspend, by: user.name, at }, updatedAt: at };
      if (dryRun) return batchObject(group, batch);
      try {
        const saved = await this.store.replace(batch, stored.resourceVersion);
        void this.runner.tellSuspension(saved.batch);
        void this.runner.kick();
        return batchObject(group, saved.batch, saved.resourceVersion);
      } catch (err) {
        if (!isHttpStatus(err, 409) || attempt >= 5) throw err;
      }
    }
  }

  /**
   * DELETE: the batch starts no more nodes at once (written with its resourceVersion, so no replica claims one after);
   * the restarts it started run on as their own operations, and the batch is gone once they have ended. Answered
   * with the batch and its deletionTimestamp, as kube-apiserver answers the delete of an object it still keeps.
   */
  async delete(name: string, user: UserInfo): Promise<RestartBatchObject> {
    for (let attempt = 1; ; attempt++) {
      const stored = await this.store.read(name);
      if (!stored)
        throw new StatusError(notFound({ group: this.options.apiGroup, resource: 'restartbatches', name }));
      if (stored.batch.deletion) return batchObject(this.options.apiGroup, stored.batch);
      const at = rfc3339(Date.now());
      const halted = stored.batch.halted ?? `deleted by ${user.name} at ${at}; no more nodes are started`;
      const batch: RestartBatchRecord = {
        ...stored.batch,
        deletion: { by: user.name, at },
        halted,
        message: batchMessage(stored.batch.nodes, stored.batch.maxUnavailable, halted),
        updatedAt: at,
      };
      try {
        const deleted = await this.store.replace(batch, stored.resourceVersion);
        void this.runner.kick();
        return batchObject(this.options.apiGroup, deleted.batch);
      } catch (err) {
        if (!isHttpStatus(err, 409) || attempt >= 5) throw err;
      }
    }
  }

  get(name: string): RestartBatchObject {
    const stored = this.store.get(name);
    if (!stored)
      throw new StatusError(notFound({ group: this.options.apiGroup, resource: 'restartbatches', name }));
    return this.view(stored);
  }

  get group(): string {
    return this.options.apiGroup;
  }

  /** The recent changes of the batch Leases, for watches. */
  get changes() {
    return this.store.changes;
  }

  leases(): readonly V1Lease[] {
    return this.store.watchedLeases();
  }

  /** Whether a Lease holds a batch the selectors (metadata.name; batches carry no labels) select. */
  selector(q: SelectorQuery): (lease: V1Lease) => boolean {
    const selection = parseNodeSelection(q.labelSelector, q.fieldSelector);
    return (lease) => {
      const stored = this.store.storedOf(lease);
      return stored !== undefined && selects(selection, stored.batch.name);
    };
  }

  leaseView(lease: V1Lease): RestartBatchObject {
    return this.view(this.store.storedOf(lease)!);
  }

  view(stored: StoredBatch): RestartBatchObject {
    return batchObject(this.options.apiGroup, stored.batch, stored.resourceVersion);
  }

  /** A page of the batches, in name order, after the continue token's name. */
  list(q: PageQuery & SelectorQuery, at?: number): Page<RestartBatchObject> {
    const start = pageStart(q);
    const selection = parseNodeSelection(q.labelSelector, q.fieldSelector);
    const stored =
      at === undefined
        ? this.store.all()
        : listedState(this.store.changes, this.leases(), at)
            .map((lease) => this.store.storedOf(lease))
            .filter((s) => s !== undefined);
    const matching = stored
      .filter(({ batch }) => (start === undefined || batch.name > start) && selects(selection, batch.name))
      .sort((a, b) => (a.batch.name < b.batch.name ? -1 : 1));
    const page = cutPage(matching, (s) => s.batch.name, q, String(at ?? this.store.changes.latest));
    return { items: page.items.map((s) => this.view(s)), metadata: page.metadata };
  }

  listObject(page: Page<RestartBatchObject>) {
    return {
      apiVersion: `${this.options.apiGroup}/${VERSION}`,
      kind: `${BATCH_KIND}List`,
      metadata: page.metadata,
      items: page.items,
    };
  }

  /** One review for all nodes; failing that, one per node (cached), and the first refusal is the answer. */
  private async authorizeAll(user: UserInfo, names: string[]): Promise<void> {
    const review = (name: string) => createOnNode(this.options.apiGroup, name, 'restart');
    // Every node: no name, as a review of a collection has none.
    const all = { ...review('-'), name: '' };
    if ((await this.authorizer.authorize(user, all)).decision === 'allow') return;
    for (let i = 0; i < names.length; i += REVIEWS_AT_ONCE) {
      const infos = names.slice(i, i + REVIEWS_AT_ONCE).map(review);
      const decisions = await Promise.all(infos.map((info) => this.authorizer.authorize(user, info)));
      const denied = decisions.findIndex((d) => d.decision !== 'allow');
      if (denied >= 0) {
        throw new StatusError(authorizationForbidden(user.name, infos[denied]!, decisions[denied]!.reason));
      }
    }
  }
}
