import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { imageEnv } from '../../bench/image-env.js';
import { repoRoot } from '../../control-plane/paths.js';

test("the last stage's ENV, continuations and quotes included; earlier stages ignored", () => {
  const dockerfile = [
    'FROM node AS build',
    'ENV BUILD_ONLY=1',
    'FROM node',
    '# ENV COMMENTED=1',
    'ENV A=1 \\',
    '  B="two words"',
    'RUN true',
    'ENV C=',
  ].join('\n');
  assert.deepEqual(imageEnv(dockerfile), { A: '1', B: 'two words', C: '' });
});

test('an ENV form it cannot read is refused, not skipped', () => {
  assert.throws(() => imageEnv('FROM node\nENV LEGACY value\n'), /unsupported ENV/);
});

test('our image sets production mode and the malloc tuning the benchmark measured', async () => {
  const env = imageEnv(await readFile(join(repoRoot, 'Dockerfile'), 'utf8'));
  assert.equal(env.NODE_ENV, 'production');
  assert.ok(env.MALLOC_MMAP_THRESHOLD_ && env.MALLOC_TRIM_THRESHOLD_, JSON.stringify(env));
});
