// There are no kubelets: tests create Nodes and play the kubelet's part by writing their status.
import { randomUUID } from 'node:crypto';
import {
  PatchStrategy,
  setHeaderOptions,
  type CoreV1Api,
  type V1Node,
  type V1NodeAddress,
} from '@kubernetes/client-node';

export interface NodeSpec {
  name: string;
  providerID?: string;
  labels?: Record<string, string>;
  ready?: boolean;
  addresses?: V1NodeAddress[];
  bootID?: string;
  unschedulable?: boolean;
}

function status(spec: NodeSpec, previous?: V1Node['status']): V1Node['status'] {
  const now = new Date();
  return {
    ...previous,
    conditions: [
      {
        type: 'Ready',
        status: spec.ready === false ? 'False' : 'True',
        reason: spec.ready === false ? 'KubeletNotReady' : 'KubeletReady',
        message:
          spec.ready === false ? 'test kubelet says not ready' : 'test kubelet is posting ready status',
        lastHeartbeatTime: now,
        lastTransitionTime: now,
      },
    ],
    addresses: spec.addresses ?? previous?.addresses ?? [{ type: 'InternalIP', address: '10.0.0.10' }],
    nodeInfo: {
      ...(previous?.nodeInfo ?? {
        machineID: randomUUID().replaceAll('-', ''),
        systemUUID: randomUUID(),
        kernelVersion: '6.1.0',
        osImage: 'Debian GNU/Linux 12',
        containerRuntimeVersion: 'containerd://1.7.0',
        kubeletVersion: 'v1.36.3',
        kubeProxyVersion: 'v1.36.3',
        operatingSystem: 'linux',
        architecture: 'amd64',
      }),
      bootID: spec.bootID ?? previous?.nodeInfo?.bootID ?? randomUUID(),
    },
  };
}

/** One request: a Node keeps the status it is created with, as when a kubelet registers it. */
export async function createNode(core: CoreV1Api, spec: NodeSpec): Promise<V1Node> {
  return core.createNode({
    body: {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: spec.name, labels: spec.labels },
      spec: { providerID: spec.providerID, unschedulable: spec.unschedulable },
      status: status(spec),
    },
  });
}

/** Writes the node's status as its kubelet would (Ready, and a new bootID after a reboot). */
export async function updateNodeStatus(
  core: CoreV1Api,
  name: string,
  change: Pick<NodeSpec, 'ready' | 'bootID' | 'addresses'>,
): Promise<V1Node> {
  // Read, change, write — again on a conflict, as the kubelet does: the server annotates Nodes meanwhile.
  for (let attempt = 1; ; attempt++) {
    const node = await core.readNode({ name });
    try {
      return await core.replaceNodeStatus({
        name,
        body: { ...node, status: status({ name, ...change }, node.status) },
      });
    } catch (err) {
      if ((err as { code?: number }).code !== 409 || attempt >= 5) throw err;
    }
  }
}

export async function deleteNodes(core: CoreV1Api, names: string[]): Promise<void> {
  await Promise.all(names.map((name) => core.deleteNode({ name }).catch(() => undefined)));
}

/** The kubelet after a reboot: Ready again, with a new bootID. Returns the new bootID. */
export async function bootAgain(core: CoreV1Api, name: string): Promise<string> {
  const bootID = randomUUID();
  await updateNodeStatus(core, name, { ready: true, bootID });
  return bootID;
}

/** What varies between the Nodes a kubelet on EKS registers; everything else is as the kubelet writes it. */
export interface KubeletNodeSpec {
  name: string;
  /** Picks the instance id, addresses and images; the same index gives the same Node. */
  index: number;
  region?: string;
  zone?: string;
  instanceID?: string;
  /** Extra labels, over the kubelet's and the node group's. */
  labels?: Record<string, string>;
}

/** kubelet's --node-status-max-images default. */
export const KUBELET_MAX_IMAGES = 50;

/** Deterministic hex of `length` digits from a seed (a Node's digests, ids and addresses). */
function hex(seed: number, length: number): string {
  let out = '';
  for (let x = (seed * 2654435761) >>> 0; out.length < length;) {
    x = (Math.imul(x ^ (x >>> 15), 2246822507) + 0x9e3779b9) >>> 0;
    out += x.toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

const ECR = '602401143452.dkr.ecr.us-east-1.amazonaws.com';
const IMAGE_REPOS = [
  `${ECR}/eks/kube-proxy`,
  `${ECR}/amazon-k8s-cni`,
  `${ECR}/amazon-k8s-cni-init`,
  `${ECR}/eks/coredns`,
  `${ECR}/eks/aws-ebs-csi-driver`,
  `${ECR}/eks/csi-node-driver-registrar`,
  `${ECR}/eks/livenessprobe`,
  `${ECR}/eks/pause`,
  'public.ecr.aws/eks-distro/kubernetes-csi/external-provisioner',
  'quay.io/prometheus/node-exporter',
  'docker.io/grafana/promtail',
  'registry.k8s.io/ingress-nginx/controller',
];

/**
 * A Node as a kubelet on EKS writes it: ~15 KB of JSON with 50 images (a digest name and a tag name each),
 * ~20 labels, CSI and kubelet annotations, four conditions, capacity and allocatable, nodeInfo and addresses.
 * Created with the kubelet's field manager, kube-apiserver adds the managedFields a real one has.
 */
export function kubeletNode(spec: KubeletNodeSpec): V1Node {
  const { name, index } = spec;
  const region = spec.region ?? 'us-east-1';
  const zone = spec.zone ?? `${region}a`;
  const instanceID = spec.instanceID ?? `i-0${hex(index, 16)}`;
  const ip = `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
  const dns = `ip-${ip.replaceAll('.', '-')}.ec2.internal`;
  const now = new Date();
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
  });
  const images = Array.from({ length: KUBELET_MAX_IMAGES }, (_, i) => {
    const repo = IMAGE_REPOS[i % IMAGE_REPOS.length]!;
    const tag = `v1.${(i % 30) + 1}.${(index + i) % 9}-eksbuild.${(i % 4) + 1}`;
    return {
      names: [`${repo}@sha256:${hex(index * 131 + i, 64)}`, `${repo}:${tag}`],
      sizeBytes: 1e7 + i * 7919,
    };
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/instance-type': 'm5.xlarge',
        'beta.kubernetes.io/os': 'linux',
        'eks.amazonaws.com/capacityType': 'ON_DEMAND',
        'eks.amazonaws.com/nodegroup': `workers-${index % 8}`,
        'eks.amazonaws.com/nodegroup-image': `ami-0${hex(index % 8, 16)}`,
        'eks.amazonaws.com/sourceLaunchTemplateId': `lt-0${hex(index % 8, 16)}`,
        'eks.amazonaws.com/sourceLaunchTemplateVersion': '1',
        'failure-domain.beta.kubernetes.io/region': region,
        'failure-domain.beta.kubernetes.io/zone': zone,
        'k8s.io/cloud-provider-aws': hex(7, 32),
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': dns,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': 'm5.xlarge',
        'topology.ebs.csi.aws.com/zone': zone,
        'topology.k8s.aws/zone-id': 'use1-az1',
        'topology.kubernetes.io/region': region,
        'topology.kubernetes.io/zone': zone,
        ...spec.labels,
      },
      annotations: {
        'alpha.kubernetes.io/provided-node-ip': ip,
        'csi.volume.kubernetes.io/nodeid': JSON.stringify({ 'ebs.csi.aws.com': instanceID }),
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: { providerID: `aws:///${zone}/${instanceID}` },
    status: {
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'InternalDNS', address: dns },
        { type: 'Hostname', address: dns },
      ],
      allocatable: {
        cpu: '3920m',
        'ephemeral-storage': '95551679124',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: '15136040Ki',
        pods: '58',
      },
      capacity: {
        cpu: '4',
        'ephemeral-storage': '104845292Ki',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: '16083240Ki',
        pods: '58',
      },
      conditions: [
        condition(
          'MemoryPressure',
          'False',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
        ),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      images,
      nodeInfo: {
        architecture: 'amd64',
        bootID: `${hex(index, 8)}-${hex(index + 1, 4)}-${hex(index + 2, 4)}-${hex(index + 3, 4)}-${hex(index + 4, 12)}`,
        containerRuntimeVersion: 'containerd://1.7.27',
        kernelVersion: '6.1.141-155.222.amzn2023.x86_64',
        kubeProxyVersion: 'v1.36.3-eks-3abbec1',
        kubeletVersion: 'v1.36.3-eks-3abbec1',
        machineID: hex(index + 5, 32),
        operatingSystem: 'linux',
        osImage: 'Amazon Linux 2023.8.20250715',
        systemUUID: `ec2${hex(index + 6, 5)}-${hex(index + 7, 4)}-${hex(index + 8, 4)}-${hex(index + 9, 4)}-${hex(index + 10, 12)}`,
      },
    },
  } as V1Node;
}

/** Registers the Node as its kubelet does (field manager `kubelet`, so it gets a kubelet's managedFields). */
export function createKubeletNode(core: CoreV1Api, spec: KubeletNodeSpec): Promise<V1Node> {
  return core.createNode({ body: kubeletNode(spec), fieldManager: 'kubelet' });
}

/** A kubelet's status heartbeat as a strategic merge patch of nodes/status: every condition's lastHeartbeatTime. */
export function heartbeatPatch(now = new Date().toISOString()): { status: { conditions: object[] } } {
  const conditions = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map((type) => ({
    type,
    lastHeartbeatTime: now,
  }));
  return { status: { conditions } };
}

/** A kubelet's status heartbeat (heartbeatPatch), with the kubelet's field manager. */
export function heartbeat(core: CoreV1Api, name: string): Promise<V1Node> {
  return core.patchNodeStatus(
    { name, body: heartbeatPatch(), fieldManager: 'kubelet' },
    setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
  );
}
