import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readAudit } from '../../../scripts/supply-chain/audit.js';
import {
  bundledPackages,
  lockKeyOf,
  manifestLicense,
} from '../../../scripts/supply-chain/bundle-packages.js';
import { cycloneDx, npmPurl } from '../../../scripts/supply-chain/cyclonedx.js';
import { verdict } from '../../../scripts/supply-chain/licenses.js';

test('a bundle input maps to the package directory package-lock.json keys, nested and scoped', () => {
  assert.equal(lockKeyOf('node_modules/pino/lib/tools.js'), 'node_modules/pino');
  assert.equal(lockKeyOf('../../main/node_modules/@nestjs/core/index.js'), 'node_modules/@nestjs/core');
  assert.equal(
    lockKeyOf('node_modules/@aws-sdk/core/node_modules/@smithy/types/dist-es/index.js'),
    'node_modules/@aws-sdk/core/node_modules/@smithy/types',
  );
  assert.equal(lockKeyOf('dist/src/main.js'), undefined);
});

test('bundled packages: one per package directory, licence from the lock or else the manifest', () => {
  const lock = {
    'node_modules/a': { version: '1.0.0', license: 'MIT', integrity: 'sha512-AAAA' },
    'node_modules/b': { version: '2.0.0' },
    'node_modules/a/node_modules/b': { version: '1.5.0', license: 'ISC' },
    'node_modules/unused': { version: '9.9.9', license: 'GPL-3.0-only' },
  };
  const packages = bundledPackages(
    [
      'node_modules/a/x.js',
      'node_modules/a/y.js',
      'node_modules/b/i.js',
      'node_modules/a/node_modules/b/i.js',
      'src/z.js',
    ],
    lock,
    (key) => (key === 'node_modules/b' ? 'BSD-3-Clause' : undefined),
  );
  assert.deepEqual(
    packages.map((p) => [p.name, p.version, p.license, p.files]),
    [
      ['a', '1.0.0', 'MIT', 2],
      ['b', '1.5.0', 'ISC', 1],
      ['b', '2.0.0', 'BSD-3-Clause', 1],
    ],
  );
  assert.throws(
    () => bundledPackages(['node_modules/missing/i.js'], lock, () => undefined),
    /not in package-lock/,
  );
});

test('a manifest licence: the field, its object form, or the old licenses array', () => {
  assert.equal(manifestLicense({ license: 'MIT' }), 'MIT');
  assert.equal(manifestLicense({ license: { type: 'ISC' } }), 'ISC');
  assert.equal(manifestLicense({ licenses: [{ type: 'MIT' }] }), 'MIT');
  assert.equal(
    manifestLicense({ licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }] }),
    '(MIT OR Apache-2.0)',
  );
  assert.equal(manifestLicense({}), undefined);
});

test('licence verdicts: OR takes the best choice, AND the worst, copyleft and unknown held', () => {
  assert.equal(verdict('MIT'), 'permissive');
  assert.equal(verdict('(MIT OR GPL-3.0-or-later)'), 'permissive');
  assert.equal(verdict('MIT AND LGPL-2.1-only'), 'copyleft');
  assert.equal(verdict('(Apache-2.0 AND (MIT OR MPL-2.0))'), 'permissive');
  assert.equal(verdict('GPL-2.0-only WITH Classpath-exception-2.0'), 'copyleft');
  assert.equal(verdict('AGPL-3.0-only'), 'copyleft');
  assert.equal(verdict('SEE LICENSE IN LICENSE.txt'), 'unknown');
  assert.equal(verdict('UNKNOWN'), 'unknown');
  assert.equal(verdict('(MIT'), 'unknown');
});

test('CycloneDX: purls with an encoded scope, SPDX ids or expressions, SHA-512 from the integrity', () => {
  assert.equal(npmPurl('@nestjs/core', '12.5.1'), 'pkg:npm/%40nestjs/core@12.5.1');
  const bom = cycloneDx(
    { name: 'k8s-cloud-node-manager', version: '0.1.0', license: 'Apache-2.0' },
    [
      {
        name: '@s/a',
        version: '1.0.0',
        license: 'MIT',
        integrity: 'sha512-3q2+7w==',
        lockKey: 'x',
        files: 1,
      },
      { name: 'b', version: '2.0.0', license: '(MIT OR Apache-2.0)', lockKey: 'y', files: 1 },
    ],
    { version: '24.21.0' },
  ) as {
    specVersion: string;
    components: { purl: string; licenses: unknown[]; hashes?: unknown[] }[];
    dependencies: { dependsOn: string[] }[];
  };
  assert.equal(bom.specVersion, '1.5');
  assert.deepEqual(
    bom.components.map((c) => [c.purl, c.licenses, c.hashes]),
    [
      ['pkg:npm/%40s/a@1.0.0', [{ license: { id: 'MIT' } }], [{ alg: 'SHA-512', content: 'deadbeef' }]],
      ['pkg:npm/b@2.0.0', [{ expression: '(MIT OR Apache-2.0)' }], []],
      ['pkg:generic/node@24.21.0', [{ license: { id: 'MIT' } }], undefined],
    ],
  );
  assert.equal(bom.dependencies[0]!.dependsOn.length, 3);
});

test('npm audit: counts when the advisory source answers, the reason when it does not', () => {
  const answered = readAudit(
    JSON.stringify({
      vulnerabilities: { qs: { severity: 'high', via: [] } },
      metadata: { vulnerabilities: { info: 0, low: 1, moderate: 0, high: 1, critical: 0, total: 2 } },
    }),
  );
  assert.deepEqual(answered, {
    answered: true,
    counts: { info: 0, low: 1, moderate: 0, high: 1, critical: 0 },
    advisories: ['qs: high'],
  });
  assert.deepEqual(
    readAudit(
      JSON.stringify({
        message: '405 Method Not Allowed - POST /-/npm/v1/security/advisories/bulk',
        error: { summary: '' },
      }),
    ),
    { answered: false, reason: '405 Method Not Allowed - POST /-/npm/v1/security/advisories/bulk' },
  );
  assert.equal(readAudit('npm error code ECONNREFUSED').answered, false);
});
