// What the scale and soak runs start alike: their own control plane, the EC2 emulator with one instance, and a user
// granted the given rules on our API. Each start pushes its stop onto `stops`, which the caller runs at the end.
import {
  startControlPlane,
  stopControlPlane,
  type ControlPlaneInfo,
} from '../control-plane/control-plane.js';
import { startCloudEmulators, type CloudEmulators } from '../support/clouds.js';
import { kubeClients } from '../support/kube.js';
import { grant } from '../support/users.js';

export interface BenchCluster {
  cp: ControlPlaneInfo;
  clients: ReturnType<typeof kubeClients>;
  clouds: CloudEmulators;
}

export async function startBenchCluster(
  stops: (() => Promise<unknown>)[],
  opts: {
    log: (line: string) => void;
    ec2Instance: string;
    user: string;
    rules: Parameters<typeof grant>[3];
  },
): Promise<BenchCluster> {
  const cp = await startControlPlane({ log: opts.log });
  stops.push(() => stopControlPlane(cp));
  const clients = kubeClients(cp.kubeconfig);
  const clouds = await startCloudEmulators({
    ec2: [{ instanceId: opts.ec2Instance, region: 'us-east-1', availabilityZone: 'us-east-1a' }],
  });
  stops.push(() => clouds.stop());
  await grant(clients, opts.user, opts.user, opts.rules);
  return { cp, clients, clouds };
}
