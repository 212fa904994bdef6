// Starts both cloud emulators for the sandbox, prints one JSON line describing them, runs until SIGINT/SIGTERM.
import { parseCli, USAGE, type EmulatorsConfig } from './cli-options.js';
import { startEc2Emulator } from './ec2/ec2-emulator.js';
import { startTencentEmulator } from './tencent/tencent-emulator.js';

let config: EmulatorsConfig;
try {
  config = parseCli(process.argv.slice(2));
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}

const ec2 = await startEc2Emulator(config.ec2);
const tencent = await startTencentEmulator(config.tencent);

// The credentials are the emulators' own test keys; the sandbox needs them to sign requests.
console.log(
  JSON.stringify({
    ec2: { url: ec2.url, credentials: config.ec2.credentials },
    tencent: { url: tencent.url, endpoint: tencent.endpoint, credentials: config.tencent.credentials },
  }),
);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await Promise.all([ec2.stop(), tencent.stop()]);
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
