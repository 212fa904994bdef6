// The base Deployment's memory is the sizing table's row for the default cluster size (docs/sizing.md), so the
// two cannot drift apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { findRepoRoot } from '../../../scripts/validate-manifests.js';

const root = findRepoRoot();

interface Resources {
  requests?: { memory?: string };
  limits?: { memory?: string };
}

function serverResources(): Resources {
  const deployment = parse(readFileSync(join(root, 'kustomize/base/deployment.yaml'), 'utf8')) as {
    spec: { template: { spec: { containers: { name: string; resources: Resources }[] } } };
  };
  return deployment.spec.template.spec.containers.find((c) => c.name === 'server')!.resources;
}

/** The sizing table's rows, each as header → cell. */
function sizingRows(): Record<string, string>[] {
  const lines = readFileSync(join(root, 'docs/sizing.md'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('|'));
  const cells = (l: string) =>
    l
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
  const header = cells(lines[0]!);
  return lines.slice(2).map((l) => Object.fromEntries(cells(l).map((c, i) => [header[i]!, c])));
}

test("the base Deployment's memory request and limit are the sizing table's default row", () => {
  const defaults = sizingRows().filter((r) => /\(default\)/.test(r.Nodes ?? ''));
  assert.equal(defaults.length, 1, 'one row of docs/sizing.md is marked (default)');
  const row = defaults[0]!;
  const { requests, limits } = serverResources();
  assert.equal(`\`${requests?.memory}\``, row['memory request']);
  assert.equal(`\`${limits?.memory}\``, row['memory limit']);
});
