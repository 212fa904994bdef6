// `npm run sbom`: what the production bundle ships (docs/image.md). Writes dist/supply-chain/bundle.cdx.json
// (CycloneDX) and licenses.txt from dist/bundle-meta.json and package-lock.json, then asks for known
// vulnerabilities of the production dependencies (`--no-audit` skips that, as the image build does).
// Exits 1 on a copyleft or unrecognised licence, or a high or critical advisory; an advisory source that does not
// answer is reported, not failed on.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { auditProduction } from './supply-chain/audit.js';
import { bundledPackages, manifestLicense, type LockEntry } from './supply-chain/bundle-packages.js';
import { cycloneDx } from './supply-chain/cyclonedx.js';
import { verdict } from './supply-chain/licenses.js';

const dist = join(import.meta.dirname, '..');
const repo = join(dist, '..');
const out = join(dist, 'supply-chain');
const readJson = async <T>(path: string) => JSON.parse(await readFile(path, 'utf8')) as T;

const product = await readJson<{ name: string; version: string; license: string; description?: string }>(
  join(repo, 'package.json'),
);
const lock = (await readJson<{ packages: Record<string, LockEntry> }>(join(repo, 'package-lock.json')))
  .packages;
const meta = await readJson<{ inputs: Record<string, unknown> }>(join(dist, 'bundle-meta.json'));
const packages = bundledPackages(Object.keys(meta.inputs), lock, (key) => {
  const manifest = join(repo, key, 'package.json');
  return existsSync(manifest) ? manifestLicense(JSON.parse(readFileSync(manifest, 'utf8'))) : undefined;
});

await mkdir(out, { recursive: true });
const sbom = cycloneDx(product, packages, { version: process.version.slice(1) });
await writeFile(join(out, 'bundle.cdx.json'), `${JSON.stringify(sbom, null, 2)}\n`);

const byLicense = new Map<string, string[]>();
for (const p of packages)
  byLicense.set(p.license, [...(byLicense.get(p.license) ?? []), `${p.name}@${p.version}`]);
const held = [...byLicense.keys()].filter((l) => verdict(l) !== 'permissive');
const lines = [...byLicense]
  .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))
  .map(([license, names]) => `${license} (${names.length}, ${verdict(license)}): ${names.join(', ')}`);
await writeFile(join(out, 'licenses.txt'), `${lines.join('\n')}\n`);

console.log(`${join(out, 'bundle.cdx.json')}: ${packages.length} npm packages and node ${process.version}`);
console.log(
  `licences: ${[...byLicense].map(([l, n]) => `${l} ${n.length}`).join(', ')}; ${held.length === 0 ? 'all permissive' : `held for review: ${held.join(', ')}`}`,
);
let failed = held.length > 0;
if (!process.argv.includes('--no-audit')) {
  const audit = await auditProduction(repo);
  if (!audit.answered)
    console.log(`known vulnerabilities: not checked, the advisory source did not answer (${audit.reason})`);
  else {
    console.log(
      `known vulnerabilities: ${Object.entries(audit.counts)
        .map(([s, n]) => `${s} ${n}`)
        .join(', ')}${audit.advisories.length ? ` (${audit.advisories.join('; ')})` : ''}`,
    );
    failed ||= audit.counts['high']! + audit.counts['critical']! > 0;
  }
}
process.exitCode = failed ? 1 : 0;
