import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completions } from '../../../src/kubectl-plugin/completion.js';
import type { ConnectionFlags } from '../../../src/kubectl-plugin/connection-flags.js';

const seen: ConnectionFlags[] = [];
const nodes = (connection: ConnectionFlags) => {
  seen.push(connection);
  return Promise.resolve(['node-a', 'node-b', 'other']);
};

test('node names, without those already typed, with the connection flags typed so far', async () => {
  assert.deepEqual(await completions(['node-a', 'node-'], nodes), ['node-b', ':4']);
  assert.deepEqual(await completions(['--context=prod', '--as', 'jane', ''], nodes), [
    'node-a',
    'node-b',
    'other',
    ':4',
  ]);
  assert.equal(seen.at(-1)?.context, 'prod');
  assert.equal(seen.at(-1)?.as, 'jane');
});

test('flags, and the values of those that have a fixed set', async () => {
  assert.deepEqual(await completions(['--dr'], nodes), ['--dry-run', '--drain', '--drain-timeout', ':4']);
  assert.deepEqual(await completions(['n1', '--mode', ''], nodes), ['SoftFirst', 'Soft', 'Hard', ':4']);
  assert.deepEqual(await completions(['-o', 'y'], nodes), ['yaml', ':4']);
  assert.deepEqual(await completions(['--on-drain-timeout=P'], nodes), ['--on-drain-timeout=Proceed', ':4']);
  // A value nobody can list: nothing, and no file names either.
  assert.deepEqual(await completions(['--reason', ''], nodes), [':4']);
});

test('a failing node list completes nothing', async () => {
  assert.deepEqual(await completions([''], () => Promise.reject(new Error('no cluster'))), [':4']);
});
