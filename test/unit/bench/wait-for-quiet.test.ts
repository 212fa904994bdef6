import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { waitForQuiet } from '../../bench/proc.js';

function child(code: string) {
  const p = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
  return { pid: p.pid!, stop: () => p.kill('SIGKILL') };
}

test('an idle process is quiet at once; a busy one is waited for until the timeout', async () => {
  const idle = child('setTimeout(() => {}, 30_000)');
  const busy = child('for (;;) {}');
  try {
    await new Promise((r) => setTimeout(r, 300)); // past the idle one's start-up
    assert.ok((await waitForQuiet([idle.pid], { windowMs: 200 })) < 1000);
    const waited = await waitForQuiet([idle.pid, busy.pid], { windowMs: 200, timeoutMs: 1200 });
    assert.ok(waited >= 1200, `waited ${waited} ms for a process spinning on a core`);
  } finally {
    idle.stop();
    busy.stop();
  }
});
