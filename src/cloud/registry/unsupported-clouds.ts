// providerID forms of clouds this server recognises but cannot act on yet, so that an operator is told which cloud
// a node is on rather than "unrecognised". Sources: the cloud controller managers, Cluster API providers and tools
// named on each row; the rows without one are forms public providerID-detection code matches. Supported clouds
// (clouds.ts) are matched first, so supporting one of these later needs no change here, though its row should then
// be removed.

export interface RecognisedCloud {
  /** Short name reported in the result, e.g. "gce". */
  cloud: string;
  displayName: string;
  /** Schemes before "://", lowercase. */
  schemes: readonly string[];
  /** A scheme-less form, matched against the whole providerID. */
  bareForm?: RegExp;
  /** Replaces "not supported yet" where support is impossible rather than pending. */
  reason?: string;
}

export const RECOGNISED_UNSUPPORTED_CLOUDS: readonly RecognisedCloud[] = [
  // gce://<project>/<zone>/<instance name> (NVSentinel gcp.go regex)
  { cloud: 'gce', displayName: 'Google Compute Engine', schemes: ['gce'] },
  // azure:///subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Compute/virtualMachines/<vm>, and
  // …/virtualMachineScaleSets/<vmss>/virtualMachines/<n> for VMSS Uniform
  { cloud: 'azure', displayName: 'Microsoft Azure', schemes: ['azure'] },
  // <region>.<instance id> (alibaba cloud-provider docs), also alicloud://<region>.<instance id> (CCM tests)
  {
    cloud: 'alibaba',
    displayName: 'Alibaba Cloud ECS',
    schemes: ['alicloud'],
    bareForm: /^[a-z]{2}-[a-z0-9-]+\.i-[a-z0-9]+$/,
  },
  // openstack:///<server uuid>, regional openstack://<region>/<uuid> (CAPO, OS_CCM_REGIONAL)
  { cloud: 'openstack', displayName: 'OpenStack', schemes: ['openstack'] },
  // hcloud://<server id> (hcloud CCM, CAPH)
  { cloud: 'hetzner', displayName: 'Hetzner Cloud', schemes: ['hcloud'] },
  // digitalocean://<droplet id> (DO CCM dropletIDFromProviderID)
  { cloud: 'digitalocean', displayName: 'DigitalOcean', schemes: ['digitalocean'] },
  // oci://ocid1.instance… or the bare OCID ocid1.instance.oc1.<region>.<unique> (OCI CCM, NVSentinel oci.go)
  {
    cloud: 'oci',
    displayName: 'Oracle Cloud Infrastructure',
    schemes: ['oci'],
    bareForm: /^ocid1\.instance\.[a-z0-9]+\./,
  },
  // huaweicloud:///<ECS server id> (cloud-provider-huaweicloud)
  { cloud: 'huawei', displayName: 'Huawei Cloud ECS', schemes: ['huaweicloud'] },
  { cloud: 'vsphere', displayName: 'VMware vSphere', schemes: ['vsphere'] },
  { cloud: 'linode', displayName: 'Linode', schemes: ['linode'] },
  { cloud: 'scaleway', displayName: 'Scaleway', schemes: ['scaleway'] },
  { cloud: 'vultr', displayName: 'Vultr', schemes: ['vultr'] },
  { cloud: 'equinixmetal', displayName: 'Equinix Metal', schemes: ['equinixmetal'] },
  { cloud: 'ovh', displayName: 'OVHcloud', schemes: ['ovh'] },
  {
    cloud: 'kind',
    displayName: 'kind',
    schemes: ['kind'],
    reason: 'kind nodes are Docker containers, not cloud VMs, so there is no VM to reboot',
  },
  // k3s and RKE2 embedded cloud controllers write <distribution>://<node name> (provider-detection code in the wild)
  {
    cloud: 'k3s',
    displayName: 'k3s',
    schemes: ['k3s'],
    reason: "k3s's built-in cloud provider names the node, not a cloud VM, so there is no VM to reboot",
  },
  {
    cloud: 'rke2',
    displayName: 'RKE2',
    schemes: ['rke2'],
    reason: "RKE2's built-in cloud provider names the node, not a cloud VM, so there is no VM to reboot",
  },
];

export function recogniseUnsupportedCloud(
  providerID: string,
  scheme: string | undefined,
): RecognisedCloud | undefined {
  return RECOGNISED_UNSUPPORTED_CLOUDS.find((cloud) =>
    scheme === undefined ? cloud.bareForm?.test(providerID) : cloud.schemes.includes(scheme),
  );
}
