#!/usr/bin/env node
// The kubectl plugin `kubectl restart` (installed as kubectl-restart by the package's bin, or by krew).
import { run } from './run.js';

run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    process.stderr.write(`error: ${err.stack ?? err.message}\n`);
    process.exitCode = 1;
  },
);
