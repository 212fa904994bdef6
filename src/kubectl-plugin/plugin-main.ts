// What each plugin executable does: run the action with the process's arguments and streams, exit with its status.
import type { Action } from './actions.js';
import { run } from './run.js';

export function runPlugin(action: Action): void {
  run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }, action).then(
    (code) => {
      process.exitCode = code;
    },
    (err: Error) => {
      process.stderr.write(`error: ${err.stack ?? err.message}\n`);
      process.exitCode = 1;
    },
  );
}
