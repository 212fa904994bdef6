// Plays the kubelets of emulator-backed Nodes: when a cloud emulator records a successful reboot of an instance,
// the Node goes NotReady, and a little later comes back Ready with a new bootID — what our server's restart
// operations (and anyone else following status.bootID) see on a real cluster. The simulated cloud runs inside our
// server and keeps no call log here: its nodes reboot when the server records that it asked for their reboot.
import { randomUUID } from 'node:crypto';
import type { CoordinationV1Api, CoreV1Api } from '@kubernetes/client-node';
import { LEASE_SELECTOR, operationFromLease } from '../../src/restarts/operations/restart-operation.js';
import type { CallRecord } from '../emulators/common/call-log.js';
import { updateNodeStatus } from './nodes.js';

/** What the kubelet player needs of an emulator: its call log. */
export interface RebootSource {
  readonly calls: readonly CallRecord[];
}

export interface KubeletOptions {
  /** Node name by instance id. */
  nodesByInstance: ReadonlyMap<string, string>;
  sources: RebootSource[];
  /**
   * Nodes on the simulated cloud: each reboots when its restart operation (a Lease in the server's operations
   * namespace) reaches RebootRequested, the phase the server writes once the cloud has accepted the reboot.
   */
  simulated?: { leases: CoordinationV1Api; namespace: string; nodes: ReadonlySet<string> };
  /** How long a rebooted node stays NotReady before it is Ready with a new bootID (default 2s). */
  downMs?: number;
  /** Nodes that go NotReady when rebooted and stay so, with their old bootID: machines that never come back. */
  stayDown?: ReadonlySet<string>;
  pollMs?: number;
  log?: (line: string) => void;
}

export interface KubeletPlayer {
  /** Nodes rebooted so far, in order. */
  readonly reboots: readonly { node: string; bootID: string }[];
  stop(): Promise<void>;
}

/** The instance ids a finished, successful RebootInstances call rebooted (EC2: InstanceId; Tencent: InstanceIds). */
export function rebootedInstances(call: CallRecord): string[] {
  if (call.action !== 'RebootInstances' || call.status !== 200 || call.errorCode !== undefined) return [];
  if (call.params['DryRun'] === 'true') return [];
  const ids = call.params['InstanceId'] ?? call.params['InstanceIds'];
  return (Array.isArray(ids) ? ids : [ids]).filter((id): id is string => typeof id === 'string');
}

export function playKubelet(core: CoreV1Api, options: KubeletOptions): KubeletPlayer {
  const {
    nodesByInstance,
    sources,
    simulated,
    downMs = 2000,
    stayDown = new Set(),
    pollMs = 200,
    log = () => {},
  } = options;
  const seen = sources.map(() => new Set<number>());
  const reboots: { node: string; bootID: string }[] = [];
  const pending = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const track = (work: Promise<void>) => {
    const p = work.catch((err: Error) => log(`kubelet: ${err.message}`)).finally(() => pending.delete(p));
    pending.add(p);
  };
  const reboot = (node: string) => {
    log(`kubelet: ${node} is rebooting (NotReady)`);
    track(
      updateNodeStatus(core, node, { ready: false }).then(() => {
        if (stopped || stayDown.has(node)) return;
        const timer = setTimeout(() => {
          timers.delete(timer);
          const bootID = randomUUID();
          track(
            updateNodeStatus(core, node, { ready: true, bootID }).then(() => {
              reboots.push({ node, bootID });
              log(`kubelet: ${node} is back (Ready, bootID ${bootID})`);
            }),
          );
        }, downMs);
        timers.add(timer);
      }),
    );
  };
  const rebootedOperations = new Set<string>();
  const followOperations = async ({ leases, namespace, nodes }: NonNullable<typeof simulated>) => {
    const list = await leases.listNamespacedLease({ namespace, labelSelector: LEASE_SELECTOR });
    for (const op of list.items.map(operationFromLease)) {
      if (!op || op.phase !== 'RebootRequested' || !nodes.has(op.node) || rebootedOperations.has(op.id))
        continue;
      rebootedOperations.add(op.id);
      reboot(op.node);
    }
  };
  let following = false;
  const poll = setInterval(() => {
    if (simulated && !following) {
      following = true;
      track(followOperations(simulated).finally(() => (following = false)));
    }
    sources.forEach((source, i) => {
      for (const call of source.calls) {
        if (call.status === undefined || seen[i]!.has(call.seq)) continue;
        seen[i]!.add(call.seq);
        for (const id of rebootedInstances(call)) {
          const node = nodesByInstance.get(id);
          if (node !== undefined) reboot(node);
        }
      }
    });
  }, pollMs);

  return {
    reboots,
    async stop() {
      stopped = true;
      clearInterval(poll);
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(pending);
    },
  };
}
