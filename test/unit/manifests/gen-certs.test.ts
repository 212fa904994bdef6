import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  CA_BUNDLE_PATCH_FILE,
  CA_BUNDLE_PLACEHOLDER,
  caBundlePatch,
  genCerts,
  type GenCertsOptions,
} from '../../../scripts/gen-certs.js';
import {
  API_GROUP,
  findRepoRoot,
  kubectlVersion,
  kustomize,
  parseManifests,
  validateObjects,
} from '../../../scripts/validate-manifests.js';
import { removeTempOverlays, tempOverlay } from './temp-overlay.js';

const SCRIPT = fileURLToPath(new URL('../../../scripts/gen-certs.js', import.meta.url));
const SERVICE_DNS = 'k8s-cloud-node-manager.k8s-cloud-node-manager.svc';
const root = findRepoRoot();
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  removeTempOverlays();
});

function scratch(): { out: string; overlay: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kcnm-gen-certs-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'kustomization.yaml'), 'resources: []\n');
  return { out: join(dir, 'certs'), overlay: dir };
}

const options = (o: Partial<GenCertsOptions> & { out: string }): GenCertsOptions => ({
  namespace: 'k8s-cloud-node-manager',
  service: 'k8s-cloud-node-manager',
  apiGroup: API_GROUP,
  hosts: [],
  days: 30,
  force: false,
  ...o,
});

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

test('the serving certificate names the Service, verifies against the CA, and the overlay gets that CA', async () => {
  const { out, overlay } = scratch();
  await genCerts(options({ out, overlay, hosts: ['192.0.2.10', 'dev.example.test'] }));
  const ca = new X509Certificate(read(out, 'ca.crt'));
  const cert = new X509Certificate(read(out, 'tls.crt'));

  assert.equal(
    cert.subjectAltName,
    `DNS:${SERVICE_DNS}, DNS:${SERVICE_DNS}.cluster.local, IP Address:192.0.2.10, DNS:dev.example.test`,
  );
  assert.equal(cert.checkHost(SERVICE_DNS), SERVICE_DNS);
  assert.equal(cert.checkIP('192.0.2.10'), '192.0.2.10');
  assert.ok(ca.ca && !cert.ca);
  assert.ok(cert.checkIssued(ca) && cert.verify(ca.publicKey));
  assert.equal(cert.verify(cert.publicKey), false, 'not self-signed');
  assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1']);
  assert.ok(new Date(cert.validTo) <= new Date(ca.validTo));
  assert.ok(cert.checkPrivateKey(createPrivateKey(read(out, 'tls.key'))));
  assert.equal(statSync(join(out, 'tls.key')).mode & 0o777, 0o600);

  const patch = parse(read(overlay, CA_BUNDLE_PATCH_FILE));
  assert.equal(patch.metadata.name, `v1.${API_GROUP}`);
  assert.equal(Buffer.from(patch.spec.caBundle, 'base64').toString('utf8'), read(out, 'ca.crt'));
});

test('the CLI refuses to overwrite without --force, and replaces everything with it', () => {
  const { out, overlay } = scratch();
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [SCRIPT, '--out', out, '--overlay', overlay, ...args], { encoding: 'utf8' });
  const files = () =>
    ['ca.crt', 'tls.crt', 'tls.key'].map((f) => read(out, f)).concat(read(overlay, CA_BUNDLE_PATCH_FILE));

  assert.equal(run().status, 0);
  const first = files();
  const refused = run();
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /refusing to overwrite .*ca\.crt.*--force/s);
  assert.deepEqual(files(), first);

  assert.equal(run('--force').status, 0);
  const replaced = files();
  first.forEach((text, i) => assert.notEqual(replaced[i], text));
});

test('the committed placeholder patch is replaced without --force, a generated one is not', async () => {
  const { out, overlay } = scratch();
  writeFileSync(join(overlay, CA_BUNDLE_PATCH_FILE), caBundlePatch(API_GROUP, CA_BUNDLE_PLACEHOLDER));
  await genCerts(options({ out, overlay }));
  assert.notEqual(parse(read(overlay, CA_BUNDLE_PATCH_FILE)).spec.caBundle, CA_BUNDLE_PLACEHOLDER);
  await assert.rejects(
    genCerts(options({ out: join(out, 'again'), overlay })),
    /refusing to overwrite .*ca-bundle\.yaml/,
  );
});

test('bad arguments are refused before anything is written', () => {
  const { out } = scratch();
  const run = spawnSync(
    process.execPath,
    [SCRIPT, '--out', out, '--namespace', 'Not_A_Label', '--days', '0'],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(run.status, 2);
  assert.match(run.stderr, /--namespace "Not_A_Label" is not a DNS label\n--days must be a positive integer/);
  assert.throws(() => statSync(out));
});

const skip = kubectlVersion() ? false : 'no kubectl on PATH, so the overlays cannot be rendered';

for (const [name, hosts] of [
  ['self-built', []],
  ['out-of-cluster', ['192.0.2.10']],
] as const) {
  test(
    `${name} with a generated CA passes every rule, and its caBundle verifies the serving certificate`,
    { skip },
    async () => {
      const dir = tempOverlay(root, {
        resources: [`overlays/${name}`],
        extra: { patches: [{ path: CA_BUNDLE_PATCH_FILE }] },
      });
      const out = join(dir, 'certs');
      await genCerts(options({ out, overlay: dir, hosts: [...hosts] }));
      const objects = parseManifests(kustomize(dir));
      const report = await validateObjects(objects, name !== 'out-of-cluster');
      assert.deepEqual([report.errors, report.notes], [[], []]);
      const caBundle = objects.find((o) => o.kind === 'APIService')!.spec.caBundle;
      const ca = new X509Certificate(Buffer.from(caBundle, 'base64'));
      assert.ok(new X509Certificate(read(out, 'tls.crt')).verify(ca.publicKey));
    },
  );
}
