// How the benchmark runs our server: as the EKS overlay configures it (AWS alone) and under the Deployment's
// memory limit, as a memory cgroup.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '../control-plane/paths.js';
import {
  createMemoryCgroup,
  deploymentMemoryLimit,
  quantityBytes,
  type MemoryCgroup,
} from './memory-cgroup.js';

/** The Deployment's memory limit as a cgroup for ours, or why it runs without one. */
export async function ourMemoryLimit({
  unconstrained,
  heap,
  override,
}: {
  unconstrained: boolean;
  heap: boolean;
  /** A quantity in place of the Deployment's (a larger cluster's sizing, docs/sizing.md). */
  override?: string;
}): Promise<{ cgroup: MemoryCgroup | string; description: string }> {
  const manifest = 'kustomize/base/deployment.yaml';
  const limit = override ?? deploymentMemoryLimit(await readFile(join(repoRoot, manifest), 'utf8'), 'server');
  if (unconstrained || heap || !limit) {
    const why = unconstrained
      ? '--unconstrained'
      : heap
        ? '--heap: writing a snapshot takes more than the limit'
        : `no memory limit in ${manifest}`;
    return { cgroup: why, description: `none (${why})` };
  }
  const cgroup = await createMemoryCgroup(`kcnm-bench-${process.pid}`, quantityBytes(limit));
  return {
    cgroup,
    description:
      typeof cgroup === 'string'
        ? `none (${cgroup})`
        : `${limit}, ${override ? '--memory-limit' : "the Deployment's"}, as a memory cgroup`,
  };
}

export function awsOnly(env: Record<string, string>): Record<string, string> {
  const aws = Object.entries(env).filter(([name]) => name.startsWith('AWS_'));
  return { ...Object.fromEntries(aws), AWS_CLOUD: 'true' };
}

/** `--our-env=NAME=VALUE` (repeatable): more environment for our server, e.g. V8 flags in NODE_OPTIONS. */
export function ourExtraEnv(argv = process.argv): Record<string, string> {
  return Object.fromEntries(
    argv
      .filter((a) => a.startsWith('--our-env='))
      .map((a) => a.slice('--our-env='.length))
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
}
