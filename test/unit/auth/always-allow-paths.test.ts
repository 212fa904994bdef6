import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesAlwaysAllowPaths, validateAlwaysAllowPaths } from '../../../src/auth/always-allow-paths.js';

test('always-allow paths match exactly or by a trailing-* prefix, the leading slash optional', () => {
  const defaults = ['/healthz', '/readyz', '/livez'];
  const rows: [string[], string, boolean][] = [
    [defaults, '/healthz', true],
    [defaults, '/readyz', true],
    [defaults, '/livez', true],
    [defaults, '/healthz/ping', false],
    [defaults, '/readyz/etcd', false],
    [defaults, '/metrics', false],
    [['/healthz/*'], '/healthz/ping', true],
    [['/healthz/*'], '/healthz', false],
    [['healthz'], '/healthz', true],
    [['/healthz'], 'healthz', true],
    [['/'], '/', true],
    [['/'], '', true],
    [[''], '/', true],
    [['*'], '/anything', true],
    [['/foo*'], '/foobar', true],
    [['/a', '/b*'], '/bb', true],
    [['//x'], '/x', false],
    [['//x'], '//x', true],
    [[], '/healthz', false],
  ];
  for (const [paths, path, allowed] of rows) {
    validateAlwaysAllowPaths(paths);
    assert.equal(matchesAlwaysAllowPaths(path, paths), allowed, `${JSON.stringify(paths)} ${path}`);
  }
});

test('a * anywhere but at the end is refused as path.NewAuthorizer refuses it', () => {
  assert.throws(() => validateAlwaysAllowPaths(['/f*o']), { message: 'only trailing * allowed in "f*o"' });
  assert.throws(() => validateAlwaysAllowPaths(['/ok', '**']), {
    message: 'only trailing * allowed in "**"',
  });
});
