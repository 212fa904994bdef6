// The local control plane from the command line:
//   up                  start it, print how to use it, stop it on Ctrl-C
//   start --state FILE  start it in the background and record it in FILE
//   stop --state FILE   stop what FILE records (by PID) and remove its directory
import { parseArgs } from 'node:util';
import {
  loadControlPlaneInfo,
  saveControlPlaneInfo,
  startControlPlane,
  stopControlPlane,
} from '../test/control-plane/control-plane.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { state: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
const [command] = positionals;
const log = (line: string) => console.error(line);

async function main(): Promise<number> {
  if (values.help || !command) {
    console.error('usage: control-plane up | start --state FILE | stop --state FILE');
    return values.help ? 0 : 2;
  }
  if (command === 'up') {
    const info = await startControlPlane({ log });
    console.log(`export KUBECONFIG=${info.kubeconfig}`);
    log('control plane running; Ctrl-C stops it');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await stopControlPlane(info);
    return 0;
  }
  if (!values.state) {
    console.error(`${command} needs --state FILE`);
    return 2;
  }
  if (command === 'start') {
    const info = await startControlPlane({ log, detached: true });
    await saveControlPlaneInfo(info, values.state);
    console.log(`export KUBECONFIG=${info.kubeconfig}`);
    return 0;
  }
  if (command === 'stop') {
    await stopControlPlane(await loadControlPlaneInfo(values.state));
    return 0;
  }
  console.error(`unknown command ${command}`);
  return 2;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.message);
    process.exit(1);
  },
);
