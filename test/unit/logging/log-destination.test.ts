import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const destinationModule = new URL('../../../src/logging/log-destination.js', import.meta.url).href;

/**
 * In a process of its own (the exit hook is per process): logs into a file and reports its size after each
 * step, then ends with process.exit, which skips anything still buffered unless the hook writes it.
 */
const script = `
import { openSync, fstatSync } from 'node:fs';
import { pino } from 'pino';
import { setTimeout as sleep } from 'node:timers/promises';
import { logDestination } from ${JSON.stringify(destinationModule)};
const fd = openSync(process.argv[1], 'w');
const log = pino({ base: null, timestamp: false }, logDestination(fd));
const size = () => fstatSync(fd).size;
const sizes = {};
log.info('first');
sizes.afterOne = size();
await sleep(1500);
sizes.afterFlushPeriod = size();
for (let i = 0; i < 200; i++) log.info('line ' + i);
sizes.afterMany = size();
log.info('last');
console.log(JSON.stringify(sizes));
process.exit(0);
`;

test('lines are batched, written within the flush period, and the rest at exit', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'log-destination-'));
  try {
    const file = join(dir, 'out.log');
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, file], {
      cwd: process.cwd(),
    });
    const sizes = JSON.parse(stdout) as Record<string, number>;
    assert.equal(sizes.afterOne, 0, 'one line is kept until the batch fills or the period ends');
    assert.ok(sizes.afterFlushPeriod! > 0, 'the periodic flush wrote it');
    assert.ok(sizes.afterMany! > sizes.afterFlushPeriod!, 'a full batch is written at once');
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    assert.equal(lines.length, 202);
    assert.deepEqual(JSON.parse(lines.at(-1)!), { level: 30, msg: 'last' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
