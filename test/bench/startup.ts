// `npm run bench:startup [-- --starts N]`: tsc's output against the production bundle at start-up — time from
// spawn to the first /readyz 200, CPU used by then, and RSS a second later — with Node's compile cache cold (a new
// directory for each start) and warm (filled by an unmeasured start), with no cloud and with every cloud enabled.
// The starts alternate between the variants so that drift on a shared machine falls on all of them alike.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startControlPlane, stopControlPlane } from '../control-plane/control-plane.js';
import { startCloudEmulators } from '../support/clouds.js';
import { ENTRY, startServer } from '../support/server.js';
import { cpuSeconds, rssMiB } from './proc.js';
import { median } from './report.js';

const STARTS = Number(/--starts[= ](\d+)/.exec(process.argv.slice(2).join(' '))?.[1] ?? 5);

interface Variant {
  entry: keyof typeof ENTRY;
  cache: 'cold' | 'warm';
  clouds: 'none' | 'all';
}

interface Sample {
  readyMs: number;
  cpuS: number;
  rssMiB: number;
}

const VARIANTS: Variant[] = (['none', 'all'] as const).flatMap((clouds) =>
  (['cold', 'warm'] as const).flatMap((cache) =>
    (['compiled', 'bundle'] as const).map((entry) => ({ entry, cache, clouds })),
  ),
);
const label = (v: Variant) => `${ENTRY[v.entry]} | ${v.cache} | ${v.clouds}`;

/** The median of one figure over the starts, and its range. */
function range(samples: Sample[], key: keyof Sample, digits: number): string {
  const xs = samples.map((x) => x[key]);
  const f = (x: number) => x.toFixed(digits);
  return `${f(median(xs))} (${f(Math.min(...xs))}–${f(Math.max(...xs))})`;
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'kcnm-startup-'));
  const cp = await startControlPlane({ log: (l) => console.error(`# ${l}`) });
  const clouds = await startCloudEmulators({});
  const warmCache = { compiled: join(work, 'cache-compiled'), bundle: join(work, 'cache-bundle') };
  let cold = 0;

  async function start(v: Variant): Promise<Sample> {
    const cache = v.cache === 'warm' ? warmCache[v.entry] : join(work, `cold-${cold++}`);
    const server = await startServer(cp, {
      entry: ENTRY[v.entry],
      register: false,
      env: { NODE_COMPILE_CACHE: cache, ...(v.clouds === 'all' && clouds.serverEnv) },
    });
    try {
      const cpuS = await cpuSeconds(server.pid);
      await sleep(1000);
      return { readyMs: server.readyMs, cpuS, rssMiB: await rssMiB(server.pid) };
    } finally {
      await server.stop();
    }
  }

  try {
    for (const v of VARIANTS.filter((x) => x.cache === 'warm' && x.clouds === 'all')) await start(v);
    const samples = new Map<Variant, Sample[]>(VARIANTS.map((v) => [v, []]));
    for (let i = 0; i < STARTS; i++) {
      for (const v of VARIANTS) samples.get(v)!.push(await start(v));
      console.error(`# round ${i + 1} of ${STARTS} done`);
    }
    console.log(`${STARTS} starts each; median (min–max)\n`);
    console.log(
      '| entry | compile cache | clouds | start to /readyz ms | CPU s by then | RSS MiB 1 s later |',
    );
    console.log('|---|---|---|---:|---:|---:|');
    for (const [v, xs] of samples) {
      const cells = [range(xs, 'readyMs', 0), range(xs, 'cpuS', 2), range(xs, 'rssMiB', 0)];
      console.log(`| ${label(v)} | ${cells.join(' | ')} |`);
    }
  } finally {
    await clouds.stop();
    await stopControlPlane(cp);
    await rm(work, { recursive: true, force: true });
  }
}

await main();
