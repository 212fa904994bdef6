// Plays the kubelets of emulator-backed Nodes: when a cloud emulator records a successful reboot of an instance,
// the Node goes NotReady, and a little later comes back Ready with a new bootID — what our server's restart
// operations (and anyone else following status.bootID) see on a real cluster.
import { randomUUID } from 'node:crypto';
import type { CoreV1Api } from '@kubernetes/client-node';
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
  const poll = setInterval(() => {
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
