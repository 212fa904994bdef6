// docs/configuration.md must stay true: every flag and its variable, and no flag that no longer exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { envName } from '../../../src/config/flags.js';
import { FLAGS } from '../../../src/config/server-options.js';
import { repoRoot } from '../../control-plane/paths.js';

test('docs/configuration.md lists every flag with its environment variable and default', async () => {
  const doc = await readFile(join(repoRoot, 'docs/configuration.md'), 'utf8');
  for (const flag of FLAGS) {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`--${flag.name}\` |`));
    assert.ok(row, `--${flag.name} is documented`);
    assert.ok(row.includes(`\`${envName(flag.name)}\``), `${flag.name}: variable`);
    if (flag.default) assert.ok(row.includes(`\`${flag.default}\``), `${flag.name}: default ${flag.default}`);
  }
  const documented = [...doc.matchAll(/^\| `--([a-z-]+)` \|/gm)].map((m) => m[1]);
  assert.deepEqual(documented.sort(), FLAGS.map((f) => f.name).sort());
});
