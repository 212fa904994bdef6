// The container tool that builds and runs the image: docker where its engine answers, else podman. A docker
// client without an engine (common on build machines) does not count.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type ContainerTool = 'docker' | 'podman';

/** `KCNM_CONTAINER_TOOL` names one; otherwise the first of docker, podman whose `info` succeeds. */
export async function findContainerTool(env = process.env): Promise<ContainerTool | undefined> {
  const wanted = env.KCNM_CONTAINER_TOOL;
  if (wanted !== undefined && wanted !== 'docker' && wanted !== 'podman')
    throw new Error(`KCNM_CONTAINER_TOOL must be docker or podman, not ${wanted}`);
  for (const tool of wanted ? [wanted as ContainerTool] : (['docker', 'podman'] as const)) {
    const ok = await run(tool, ['info', '--format', '{{json .}}'], { timeout: 30_000 }).then(
      () => true,
      () => false,
    );
    if (ok) return tool;
  }
  return undefined;
}

/** Runs the tool, resolving with its stdout; the error carries its stderr. */
export async function tool(
  name: ContainerTool,
  args: string[],
  opts: { timeoutMs?: number } = {},
): Promise<string> {
  try {
    const { stdout } = await run(name, args, { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 2 ** 20 });
    return stdout;
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`${name} ${args.join(' ')}: ${e.stderr?.trim() || e.message}`);
  }
}

export interface ImageFacts {
  id: string;
  /** Bytes, uncompressed, as the tool reports them. */
  size: number;
  labels: Record<string, string>;
  user: string;
}

export async function inspectImage(name: ContainerTool, image: string): Promise<ImageFacts> {
  const [info] = JSON.parse(await tool(name, ['image', 'inspect', image])) as {
    Id: string;
    Size: number;
    Config: { Labels?: Record<string, string> | null; User?: string };
  }[];
  if (!info) throw new Error(`no image ${image}`);
  return { id: info.Id, size: info.Size, labels: info.Config.Labels ?? {}, user: info.Config.User ?? '' };
}
