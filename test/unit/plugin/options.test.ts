import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOptions, UsageError } from '../../../src/plugin/options.js';
import { toYaml } from '../../../src/plugin/yaml.js';
import { parse } from 'yaml';

test('names come bare, after a node word, or as node/NAME', () => {
  assert.deepEqual(parseOptions(['a', 'b']).names, ['a', 'b']);
  assert.deepEqual(parseOptions(['node', 'a', 'b']).names, ['a', 'b']);
  assert.deepEqual(parseOptions(['nodes', 'a']).names, ['a']);
  assert.deepEqual(parseOptions(['node/a', 'node.infraops.michael.io/b', 'a']).names, ['a', 'b']);
  // A node really called "node".
  assert.deepEqual(parseOptions(['node']).names, ['node']);
});

test('flags take kubectl’s forms and defaults', () => {
  const o = parseOptions([
    'n1',
    '--dry-run=server',
    '--mode',
    'hard',
    '--reason=disk',
    '--wait',
    '--timeout=90s',
    '-o',
    'yaml',
    '--context=c',
    '--kubeconfig',
    '/k',
  ]);
  assert.deepEqual(
    { ...o },
    {
      names: ['n1'],
      selector: undefined,
      dryRun: true,
      mode: 'Hard',
      reason: 'disk',
      wait: true,
      timeoutMs: 90_000,
      output: 'yaml',
      kubeconfig: '/k',
      context: 'c',
      help: false,
    },
  );
  assert.equal(parseOptions(['n1']).timeoutMs, 600_000);
  assert.equal(parseOptions(['-l', 'pool=a']).selector, 'pool=a');
  assert.equal(parseOptions(['node', '-l', 'pool=a']).names.length, 0);
});

test('usage errors', () => {
  for (const argv of [
    [],
    ['n1', '-l', 'a=b'],
    ['--dry-run=client', 'n1'],
    ['--timeout=soon', 'n1'],
    ['-o', 'wide', 'n1'],
    ['pod/x'],
    ['Bad_Name'],
    ['--nope'],
  ]) {
    assert.throws(() => parseOptions(argv), UsageError, argv.join(' '));
  }
});

test('toYaml writes what a YAML parser reads back as the same data', () => {
  const doc = {
    apiVersion: 'infraops.michael.io/v1',
    kind: 'NodeRestart',
    metadata: { name: 'n1', creationTimestamp: '2026-01-01T00:00:00Z', labels: {} },
    spec: { mode: 'SoftFirst', reason: 'yes', dryRun: true, note: 'a: b # c', empty: '', num: '100003' },
    status: {
      checks: [{ name: 'Authorization', detail: 'ok' }, { name: 'Mode' }],
      list: [[1, 2], []],
      none: null,
    },
  };
  assert.deepEqual(parse(toYaml(doc)), doc);
  assert.match(toYaml(doc), /^ {2}checks:\n {2}- name: Authorization\n {4}detail: ok\n {2}- name: Mode$/m);
});
