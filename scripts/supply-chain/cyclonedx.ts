// The bundle's SBOM as CycloneDX 1.5 JSON (https://cyclonedx.org/docs/1.5/json/): our package as the metadata
// component, each bundled npm package and the Node runtime as components, with purls, licences and the
// lockfile's SHA-512 integrity as hashes.
import { randomUUID } from 'node:crypto';
import type { BundledPackage } from './bundle-packages.js';

export interface Product {
  name: string;
  version: string;
  license: string;
  description?: string;
}

/** pkg:npm purl (https://github.com/package-url/purl-spec): the scope's @ percent-encoded. */
export const npmPurl = (name: string, version: string) => `pkg:npm/${name.replace(/^@/, '%40')}@${version}`;

const licenses = (expression: string) =>
  /^[A-Za-z0-9.+-]+$/.test(expression) ? [{ license: { id: expression } }] : [{ expression }];

/** The hex SHA-512 of an sri `sha512-BASE64` integrity string. */
function sha512(integrity: string | undefined): { alg: string; content: string }[] {
  const m = /^sha512-(.+)$/.exec(integrity ?? '');
  return m ? [{ alg: 'SHA-512', content: Buffer.from(m[1]!, 'base64').toString('hex') }] : [];
}

export function cycloneDx(
  product: Product,
  packages: BundledPackage[],
  node: { version: string },
  now = new Date(),
): Record<string, unknown> {
  const root = npmPurl(product.name, product.version);
  const components = [
    ...packages.map((p) => ({
      type: 'library',
      'bom-ref': npmPurl(p.name, p.version),
      name: p.name,
      version: p.version,
      purl: npmPurl(p.name, p.version),
      licenses: licenses(p.license),
      hashes: sha512(p.integrity),
    })),
    {
      type: 'platform',
      'bom-ref': `pkg:generic/node@${node.version}`,
      name: 'node',
      version: node.version,
      purl: `pkg:generic/node@${node.version}`,
      licenses: licenses('MIT'),
    },
  ];
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: now.toISOString(),
      lifecycles: [{ phase: 'build' }],
      component: {
        type: 'application',
        'bom-ref': root,
        name: product.name,
        version: product.version,
        purl: root,
        licenses: licenses(product.license),
        ...(product.description && { description: product.description }),
      },
    },
    components,
    dependencies: [{ ref: root, dependsOn: components.map((c) => c['bom-ref']) }],
  };
}
