import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProviderID, type ProviderIDParseResult } from '../../../src/cloud/registry/provider-id.js';

test('an absent or blank providerID has its own result', () => {
  for (const providerID of [undefined, null, '', '   ', '\n\t']) {
    const result = parseProviderID(providerID);
    assert.equal(result.kind, 'missing', JSON.stringify(providerID));
    assert.ok(result.kind === 'missing');
    assert.match(result.reason, /the node has no spec\.providerID/);
  }
});

test('other clouds are recognised and reported as not supported yet, naming the cloud', () => {
  const cases: [string, string][] = [
    ['gce://my-project/us-central1-a/gke-pool-1-abcd', 'gce'],
    [
      'azure:///subscriptions/0000-1111/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/aks-node-1',
      'azure',
    ],
    [
      'azure:///subscriptions/0000-1111/resourceGroups/mc_rg/providers/Microsoft.Compute/virtualMachineScaleSets/' +
        'aks-nodepool1-12345678-vmss/virtualMachines/0',
      'azure',
    ],
    ['cn-hangzhou.i-bp16uimj7fl6ze8q5rf3', 'alibaba'],
    ['alicloud://cn-hangzhou.i-2zec1234567890abcdef', 'alibaba'],
    ['openstack:///8a7c2b7e-0a4c-4d8e-9f1a-2b3c4d5e6f70', 'openstack'],
    ['openstack://RegionOne/8a7c2b7e-0a4c-4d8e-9f1a-2b3c4d5e6f70', 'openstack'],
    ['hcloud://12345678', 'hetzner'],
    ['digitalocean://301234567', 'digitalocean'],
    ['oci://ocid1.instance.oc1.iad.anuwcljtexample', 'oci'],
    ['ocid1.instance.oc1.phx.anyhqljtexample', 'oci'],
    ['huaweicloud:///1c2d3e4f-5a6b-7c8d-9e0f-a1b2c3d4e5f6', 'huawei'],
    ['huaweicloud://1c2d3e4f-5a6b-7c8d-9e0f-a1b2c3d4e5f6', 'huawei'],
    ['vsphere://4213f8a1-2b3c-4d5e-8f90-0a1b2c3d4e5f', 'vsphere'],
    ['linode://12345', 'linode'],
    ['scaleway://instance/fr-par-1/11111111-2222-3333-4444-555555555555', 'scaleway'],
    ['vultr://11111111-2222-3333-4444-555555555555', 'vultr'],
    ['equinixmetal://11111111-2222-3333-4444-555555555555', 'equinixmetal'],
    ['ovh://11111111-2222-3333-4444-555555555555', 'ovh'],
    ['kind://docker/kind/kind-worker', 'kind'],
    ['k3s://node-1', 'k3s'],
    ['rke2://node-1', 'rke2'],
    ['GCE://my-project/us-central1-a/gke-pool-1-abcd', 'gce'],
  ];
  for (const [providerID, cloud] of cases) {
    const result = parseProviderID(providerID);
    assert.equal(result.kind, 'unsupported', providerID);
    assert.ok(result.kind === 'unsupported');
    assert.equal(result.cloud, cloud, providerID);
    assert.ok(result.reason.startsWith(`providerID ${JSON.stringify(providerID)} is a `), result.reason);
  }
  const gce = parseProviderID('gce://p/z/n');
  assert.ok(gce.kind === 'unsupported');
  assert.match(
    gce.reason,
    /Google Compute Engine node: this cloud is recognised but not supported yet; supported: aws/,
  );
  const kind = parseProviderID('kind://docker/kind/kind-worker');
  assert.ok(kind.kind === 'unsupported');
  assert.match(kind.reason, /Docker containers, not cloud VMs/);
});

test('anything else is unrecognised, with the providerID quoted and the supported forms listed', () => {
  for (const providerID of [
    'foo://bar',
    'i-0123456789abcdef0',
    'ins-3ven36lk',
    '100003/ins-3ven36lk',
    'aws:/us-east-1a/i-0123456789abcdef0',
    'aws:us-east-1a/i-0123456789abcdef0',
    '://us-east-1a/i-0123456789abcdef0',
    'http://169.254.169.254/latest/meta-data/instance-id',
    'javascript:alert(1)',
    '../../etc/passwd',
    '__proto__',
    'constructor://x',
    'hasOwnProperty://x',
    '\u202eaws:///us-east-1a/i-0123456789abcdef0',
  ]) {
    const result = parseProviderID(providerID);
    assert.equal(result.kind, 'unrecognised', providerID);
    assert.ok(result.kind === 'unrecognised');
    assert.match(
      result.reason,
      /matches no known cloud format; supported: aws \(aws:\/\/\), tencent \(qcloud:\/\/, /,
    );
  }
  const result = parseProviderID('foo://bar');
  assert.ok(result.kind === 'unrecognised');
  assert.ok(result.reason.startsWith('providerID "foo://bar" matches no known cloud format'));
});

const printableAscii = /^[\x20-\x7e]*$/;

test('hostile inputs never throw, and reasons stay short, escaped and printable', () => {
  const huge = 'x'.repeat(1_000_000);
  const cases: [string, ProviderIDParseResult['kind']][] = [
    [huge, 'unrecognised'],
    [`aws:///us-east-1a/${huge}`, 'invalid'],
    [`qcloud:///100003/ins-${'a'.repeat(300)}`, 'invalid'],
    [`aws:///${'/'.repeat(100_000)}`, 'invalid'],
    [`${' '.repeat(100_000)}aws:///us-east-1a/i-0123456789abcdef0`, 'unrecognised'],
    ['aws:///us-east-1a/i-0123456789abcdef0\u0000', 'invalid'],
    ['aws:///us-east-1a/i-0123\u202e0fedcba987654321', 'invalid'],
    ['qcloud:///100003/ins-\u{1f600}', 'invalid'],
    ['\u{1f600}://\u{1f600}', 'unrecognised'],
    ['\ud800', 'unrecognised'],
    ['tencentcloud:///ap-guangzhou-3/ins-3ven36lk\r\nX-Injected: 1', 'invalid'],
    ['aws:///us-east-1a/i-0123456789abcdef0/../../../../etc/passwd', 'invalid'],
    ['aws:///us-east-1a/i-0123456789abcdef0?$(reboot)', 'invalid'],
    [`gce://${'p/'.repeat(50_000)}`, 'unsupported'],
  ];
  for (const [providerID, kind] of cases) {
    const result = parseProviderID(providerID);
    assert.equal(result.kind, kind, providerID.slice(0, 80));
    assert.ok(result.kind !== 'ok');
    assert.ok(result.reason.length < 2000, `reason of ${result.reason.length} characters`);
    assert.match(result.reason, printableAscii);
  }
});

test('random strings built from providerID-like pieces never throw and only well-formed ones parse', () => {
  const pieces = [
    'aws',
    'qcloud',
    'tencentcloud',
    'simulated',
    'gce',
    '://',
    '/',
    ':',
    '.',
    '-',
    'i-',
    'ins-',
    'sim-',
  ];
  const more = [
    'us-east-1a',
    '100003',
    'ap-guangzhou-3',
    '0123456789abcdef0',
    '3ven36lk',
    'A',
    ' ',
    '\u0000',
    '\u00e9',
  ];
  const alphabet = [...pieces, ...more];
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const wellFormed = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$|^ins-[a-z0-9]+$|^sim-[a-z0-9]+(?:-[a-z0-9]+)*$/;
  for (let i = 0; i < 5000; i++) {
    const length = 1 + Math.floor(random() * 10);
    const providerID = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join(
      '',
    );
    const result = parseProviderID(providerID);
    if (result.kind === 'ok') {
      assert.match(result.identity.instanceId, wellFormed, providerID);
    } else {
      assert.match(result.reason, printableAscii, providerID);
    }
  }
});
