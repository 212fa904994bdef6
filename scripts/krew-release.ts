// `npm run krew`: the kubectl plugin's krew release into dist/krew — kubectl-restart-vVERSION.tar.gz and
// restart.yaml, the manifest with the archive's sha256 (scripts/krew/release.ts). Upload the archive to the
// release the manifest's uri names, and publish the manifest in your krew index as plugins/restart.yaml.
import { join } from 'node:path';
import { buildKrewRelease } from './krew/release.js';

const dist = join(import.meta.dirname, '..');
const release = await buildKrewRelease(join(dist, '..'), dist, join(dist, 'krew'));
console.log(`${release.archive}: sha256 ${release.sha256}\n${release.manifest}`);
