// Nodes kept in memory: read as the Node informer's cache reads them (NodeReader), written as kube-apiserver
// applies a JSON merge patch (RFC 7386, null deletes) with metadata.resourceVersion as a precondition (409 Conflict
// when the Node moved on). The test plays the kubelet: Ready or not, and a new bootID when the machine rebooted.
import { randomUUID } from 'node:crypto';
import type { V1Node, V1NodeSystemInfo } from '@kubernetes/client-node';
import type { NodeReader } from '../../../src/restarts/cluster/node-reader.js';
import { NodeGateway, type NodePatch } from '../../../src/restarts/cluster/node-gateway.js';
import { conflict, copy, notFound, Revisions } from './api-errors.js';
import { applyMergePatch } from '../../../src/apiserver/merge-patch.js';

const KIND = 'nodes';

export interface InMemoryNodeSpec {
  name: string;
  /** simulated:///REGION/ZONE/sim-NAME by default. */
  providerID?: string;
  labels?: Record<string, string>;
  unschedulable?: boolean;
}

export class InMemoryNodes extends NodeGateway implements NodeReader {
  readonly synced = true;
  private readonly nodes = new Map<string, V1Node>();
  private readonly listeners: ((node: V1Node) => void)[] = [];
  /** Merge patches applied, and refused with 409. */
  readonly patches = { applied: 0, conflicts: 0 };

  constructor(private readonly revisions = new Revisions()) {
    super();
  }

  // NodeReader: the informer's view.
  get(name: string): V1Node | undefined {
    return this.nodes.get(name);
  }

  list(): readonly V1Node[] {
    return [...this.nodes.values()].sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1));
  }

  onChange(listener: (node: V1Node) => void): void {
    this.listeners.push(listener);
  }

  // NodeGateway: kube-apiserver.
  async read(name: string): Promise<V1Node | undefined> {
    const node = this.nodes.get(name);
    return node && copy(node);
  }

  async mergePatch(name: string, patch: NodePatch): Promise<V1Node> {
    const current = this.nodes.get(name);
    if (!current) throw notFound(KIND, name);
    const precondition = patch.metadata?.resourceVersion;
    if (precondition !== undefined && precondition !== current.metadata!.resourceVersion) {
      this.patches.conflicts++;
      throw conflict(KIND, name);
    }
    this.patches.applied++;
    return copy(this.store(applyMergePatch(current, patch) as V1Node));
  }

  // The kubelet's and the cluster admin's side.
  add(spec: InMemoryNodeSpec): V1Node {
    return this.store({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: spec.name, labels: spec.labels ?? {}, annotations: {} },
      spec: {
        providerID: spec.providerID ?? `simulated:///sim-east-1/sim-east-1a/sim-${spec.name}`,
        ...(spec.unschedulable ? { unschedulable: true } : {}),
      },
      status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: this.nodeInfo(randomUUID()) },
    } as V1Node);
  }

  /** The kubelet reports Ready (or not). */
  setReady(name: string, ready: boolean): void {
    this.update(name, (node) => {
      node.status!.conditions = [{ type: 'Ready', status: ready ? 'True' : 'False' }];
    });
  }

  /** The machine came back from a reboot: a new bootID, and Ready. */
  rebooted(name: string): void {
    this.update(name, (node) => {
      node.status!.nodeInfo = this.nodeInfo(randomUUID());
      node.status!.conditions = [{ type: 'Ready', status: 'True' }];
    });
  }

  remove(name: string): void {
    const node = this.nodes.get(name);
    if (!node) return;
    this.nodes.delete(name);
    for (const listener of this.listeners) listener(node);
  }

  bootID(name: string): string | undefined {
    return this.nodes.get(name)?.status?.nodeInfo?.bootID;
  }

  private update(name: string, change: (node: V1Node) => void): void {
    const node = copy(this.nodes.get(name));
    if (!node) throw new Error(`no node ${name}`);
    change(node);
    this.store(node);
  }

  /** Each change is a new object with a new resourceVersion, as the informer hands them over. */
  private store(node: V1Node): V1Node {
    const stored = copy(node);
    stored.metadata!.resourceVersion = this.revisions.next();
    this.nodes.set(stored.metadata!.name!, stored);
    for (const listener of this.listeners) listener(stored);
    return stored;
  }

  /** Only what restarts read of it. */
  private nodeInfo(bootID: string): V1NodeSystemInfo {
    return { bootID } as V1NodeSystemInfo;
  }
}
