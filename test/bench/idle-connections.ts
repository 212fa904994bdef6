// `npm run bench:idle [-- --connections=3000 --max-connections=N]`: what silent TLS connections cost our server.
// Ours as the scale mode runs it (the bundle, AWS alone, under the Deployment's memory limit as a memory cgroup);
// the connections made as kube-apiserver's proxy makes them (the front-proxy client certificate), handshaken, then
// silent. RSS once ready, with the connections open, after the server's header deadline closed them
// (serving-limits.ts), and a while later: per connection, and whether the memory is given back. Loopback only.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect, type TLSSocket } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from '../control-plane/paths.js';
import { ENTRY, startServer } from '../support/server.js';
import { READ_HEADER_TIMEOUT_MS } from '../../src/tls/serving-limits.js';
import { startBenchCluster } from './bench-cluster.js';
import { imageEnv } from './image-env.js';
import { awsOnly, ourMemoryLimit } from './our-server.js';
import { rssMiB } from './proc.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const CONNECTIONS = Number(arg('connections') ?? 3000);
const MAX_CONNECTIONS = arg('max-connections');
/** Handshakes in flight at once. */
const PARALLEL = 50;

const log = (line: string) => console.error(`[idle ${new Date().toISOString().slice(11, 19)}] ${line}`);

/** A handshaken connection, or undefined when the server closed it first (over --max-connections). */
function silentConnection(port: number, tls: { ca: string; cert: string; key: string }) {
  return new Promise<TLSSocket | undefined>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ...tls });
    socket.once('secureConnect', () => resolve(socket));
    socket.once('error', () => resolve(undefined));
    socket.once('close', () => resolve(undefined));
  });
}

async function main(): Promise<void> {
  const stops: (() => Promise<unknown>)[] = [];
  const memory = await ourMemoryLimit({
    unconstrained: process.argv.includes('--unconstrained'),
    heap: false,
  });
  if (typeof memory.cgroup !== 'string') stops.push(memory.cgroup.remove);
  try {
    const { cp, clouds } = await startBenchCluster(stops, {
      log,
      ec2Instance: 'i-0b0000000000500c4',
      user: 'idle-user',
      rules: [],
    });
    const server = await startServer(cp, {
      entry: ENTRY.bundle,
      register: false,
      args: MAX_CONNECTIONS ? [`--max-connections=${MAX_CONNECTIONS}`] : [],
      env: {
        ...awsOnly(clouds.serverEnv),
        ...imageEnv(await readFile(join(repoRoot, 'Dockerfile'), 'utf8')),
        LOG_LEVEL: 'info',
      },
      ...(typeof memory.cgroup !== 'string' && { cgroupProcs: memory.cgroup.procs }),
    });
    stops.push(() => server.stop());
    const tls = {
      ca: server.servingCa.certPem,
      cert: await readFile(cp.pki.frontProxyClientCert, 'utf8'),
      key: await readFile(cp.pki.frontProxyClientKey, 'utf8'),
    };
    await sleep(3000);
    const rss = () => rssMiB(server.pid).then((m) => Math.round(m * 10) / 10);
    const ready = await rss();
    const started = performance.now();
    const sockets: TLSSocket[] = [];
    for (let i = 0; i < CONNECTIONS; i += PARALLEL) {
      const batch = Math.min(PARALLEL, CONNECTIONS - i);
      const made = await Promise.all(Array.from({ length: batch }, () => silentConnection(server.port, tls)));
      for (const s of made) if (s) sockets.push(s);
    }
    const connectSeconds = (performance.now() - started) / 1000;
    await sleep(2000);
    const open = sockets.filter((s) => !s.destroyed && s.readyState === 'open').length;
    const held = await rss();
    log(`${open} of ${CONNECTIONS} connections open after ${connectSeconds.toFixed(1)} s; RSS ${held} MiB`);
    // The header deadline runs from each handshake; wait until the last one made has passed it.
    await sleep(
      Math.max(0, READ_HEADER_TIMEOUT_MS + 3000 - (performance.now() - started - connectSeconds * 1000)),
    );
    const stillOpen = sockets.filter((s) => !s.destroyed && s.readyState === 'open').length;
    const closed = await rss();
    for (const s of sockets) s.destroy();
    await sleep(30_000);
    const later = await rss();
    const perConnectionKiB = open ? ((held - ready) * 1024) / open : NaN;
    const text = [
      `Idle TLS connections: ${CONNECTIONS} made (${PARALLEL} handshakes at a time), silent; ` +
        `our server with --max-connections=${MAX_CONNECTIONS ?? 'its default'}, memory limit: ${memory.description}.`,
      '',
      '| when | open | RSS MiB |',
      '|---|---:|---:|',
      `| ready | 0 | ${ready} |`,
      `| connections made | ${open} | ${held} |`,
      `| after the header deadline (${READ_HEADER_TIMEOUT_MS / 1000} s) | ${stillOpen} | ${closed} |`,
      `| 30 s after the client closed the rest | 0 | ${later} |`,
      '',
      `Per open connection: ${perConnectionKiB.toFixed(1)} KiB of RSS.`,
    ].join('\n');
    console.log(text);
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err: Error) => log(`stop: ${err.message}`));
  }
}

await main();
