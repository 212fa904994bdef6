// `npm run image`: builds the Dockerfile's image (docs/image.md) and prints its id and size.
//   npm run image                                       the official base if present, else one made locally
//   npm run image -- --node-image=node:24-bookworm-slim  that base, pulled if need be
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { findContainerTool } from './image/container-tool.js';
import { buildImage, IMAGE } from './image/build-image.js';

const { values } = parseArgs({
  options: { 'node-image': { type: 'string' }, tag: { type: 'string', default: IMAGE } },
});
const repo = join(import.meta.dirname, '../..');
const tool = await findContainerTool();
if (!tool) {
  console.error('no container tool: neither a docker engine nor podman answers (docs/image.md)');
  process.exit(1);
}
const image = await buildImage({
  repo,
  tool,
  tag: values.tag,
  ...(values['node-image'] && { nodeImage: values['node-image'] }),
  log: (line) => console.log(line),
});
console.log(`${image.name}: ${image.id}`);
console.log(
  `size ${(image.size / 2 ** 20).toFixed(1)} MiB, built in ${image.buildSeconds.toFixed(0)}s from ${image.base}`,
);
