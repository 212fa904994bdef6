import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkActionFlags, type Action } from '../../../src/kubectl-plugin/actions.js';
import { parseOptions, UsageError } from '../../../src/kubectl-plugin/options.js';
import { batchBody, restartBody } from '../../../src/kubectl-plugin/requests.js';
import { toYaml } from '../../../src/kubectl-plugin/yaml.js';
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
  const { connection, ...rest } = o;
  assert.equal(connection.kubeconfig, '/k');
  assert.equal(connection.context, 'c');
  assert.deepEqual(
    { ...rest },
    {
      names: ['n1'],
      selector: undefined,
      maxUnavailable: undefined,
      dryRun: true,
      mode: 'Hard',
      reason: 'disk',
      drain: undefined,
      allowControlPlane: false,
      wait: true,
      timeoutMs: 90_000,
      output: 'yaml',
      help: false,
    },
  );
  assert.equal(parseOptions(['n1']).timeoutMs, 600_000);
  assert.equal(parseOptions(['-l', 'pool=a']).selector, 'pool=a');
  assert.equal(parseOptions(['node', '-l', 'pool=a']).names.length, 0);
});

test('--max-unavailable makes -l one batch, and needs -l', () => {
  assert.equal(parseOptions(['-l', 'pool=a', '--max-unavailable=2']).maxUnavailable, 2);
  assert.equal(parseOptions(['-l', 'pool=a', '--max-unavailable', '1']).maxUnavailable, 1);
  assert.equal(parseOptions(['-l', 'pool=a', '--max-unavailable=1', '--max-failures=0']).maxFailures, 0);
  assert.equal(parseOptions(['-l', 'pool=a', '--max-unavailable=1']).maxFailures, undefined);
  assert.equal(parseOptions(['-l', 'pool=a']).maxUnavailable, undefined);
  for (const [argv, message] of [
    [['n1', '--max-unavailable=2'], /^--max-unavailable needs -l/],
    [['node', '--max-unavailable=2'], /^--max-unavailable needs -l/],
    [['-l', 'pool=a', '--max-unavailable=0'], /^invalid --max-unavailable "0"/],
    [['-l', 'pool=a', '--max-unavailable=25%'], /^invalid --max-unavailable "25%"/],
    [['-l', 'pool=a', '--max-unavailable=-1'], /^invalid --max-unavailable "-1"/],
    [['-l', 'pool=a', '--max-failures=1'], /^--max-failures needs -l and --max-unavailable/],
    [['-l', 'pool=a', '--max-unavailable=1', '--max-failures=x'], /^invalid --max-failures "x".*at least 0/],
  ] as const) {
    assert.throws(() => parseOptions([...argv]), { name: 'UsageError', message }, argv.join(' '));
  }
});

test('--drain sends drain: {}, with only the tuning flags given', () => {
  assert.deepEqual(parseOptions(['n1', '--drain']).drain, {});
  assert.deepEqual(
    parseOptions([
      'n1',
      '--drain',
      '--grace-period=-1',
      '--drain-timeout=1m30s',
      '--on-drain-timeout=proceed',
    ]).drain,
    { gracePeriodSeconds: -1, timeoutSeconds: 90, onTimeout: 'Proceed' },
  );
  assert.deepEqual(parseOptions(['n1', '--drain', '--grace-period', '0', '--drain-timeout', '1s']).drain, {
    gracePeriodSeconds: 0,
    timeoutSeconds: 1,
  });
});

test('drain tuning without --drain, or out of range, is a usage error naming the flag', () => {
  for (const [argv, message] of [
    [['--grace-period=30'], /^--grace-period needs --drain$/],
    [['--drain-timeout=5m'], /^--drain-timeout needs --drain$/],
    [['--on-drain-timeout=Fail'], /^--on-drain-timeout needs --drain$/],
    [['--drain', '--grace-period=-2'], /^invalid --grace-period "-2"/],
    [['--drain', '--grace-period=1.5'], /^invalid --grace-period "1.5"/],
    [['--drain', '--drain-timeout=500ms'], /^invalid --drain-timeout "500ms"/],
    [['--drain', '--drain-timeout=1500ms'], /^invalid --drain-timeout "1500ms"/],
    [['--drain', '--drain-timeout=0'], /^invalid --drain-timeout "0"/],
    [
      ['--drain', '--on-drain-timeout=Wait'],
      /^invalid --on-drain-timeout "Wait": must be one of Fail, Proceed$/,
    ],
  ] as const) {
    assert.throws(() => parseOptions(['n1', ...argv]), { name: 'UsageError', message }, argv.join(' '));
  }
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

test('--allow-control-plane is sent as allowControlPlane, for one node and for a batch', () => {
  const plain = parseOptions(['n1']);
  assert.equal(plain.allowControlPlane, false);
  assert.equal('allowControlPlane' in restartBody(plain), false);
  const allowed = parseOptions(['n1', '--allow-control-plane']);
  assert.equal(restartBody(allowed).allowControlPlane, true);
  const batch = parseOptions(['-l', 'pool=cp', '--max-unavailable=1', '--allow-control-plane']);
  assert.equal(
    batchBody({ ...batch, selector: 'pool=cp', maxUnavailable: 1 }).spec.options.allowControlPlane,
    true,
  );
});

test('kubectl reset, stop and start refuse the flags that mean nothing for them', () => {
  const refused = (action: Action, ...argv: string[]) =>
    assert.throws(
      () => checkActionFlags(action, parseOptions(argv.includes('-l') ? argv : ['n1', ...argv])),
      (err: Error) => err instanceof UsageError && err.message.includes(`kubectl ${action}`),
    );
  refused('stop', '--wait');
  refused('start', '--mode=Soft');
  refused('stop', '--drain');
  refused('reset', '--mode=Soft');
  refused('reset', '-l', 'a=b', '--max-unavailable=2');
  checkActionFlags('reset', parseOptions(['n1', '--wait', '--drain', '--mode=Hard']));
  checkActionFlags('stop', parseOptions(['n1', '--mode=Soft', '--dry-run=server']));
  assert.equal(restartBody(parseOptions(['n1']), 'stop').kind, 'StopOptions');
});
