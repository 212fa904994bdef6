import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envName, parseFlags, usage, type FlagSpec } from '../../../src/config/flags.js';

const SPECS: FlagSpec[] = [
  { name: 'port', kind: 'int', default: '8443', help: 'p' },
  { name: 'name', kind: 'string', help: 'n' },
  { name: 'skip', kind: 'bool', default: 'false', help: 's' },
  { name: 'ttl', kind: 'duration', default: '10s', help: 't' },
  { name: 'names', kind: 'list', default: 'X-Remote-User', help: 'l' },
];

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseFlags(SPECS, argv, env);

test('environment names are the flag names in upper snake case', () => {
  assert.equal(envName('secure-port'), 'SECURE_PORT');
  assert.equal(envName('requestheader-extra-headers-prefix'), 'REQUESTHEADER_EXTRA_HEADERS_PREFIX');
});

test('defaults apply; unset flags without a default have no value', () => {
  const { values, errors } = parse([]);
  assert.deepEqual(errors, []);
  assert.deepEqual(Object.fromEntries(values), {
    port: 8443,
    skip: false,
    ttl: 10_000,
    names: ['X-Remote-User'],
  });
});

test('--name=value, --name value and a bare boolean flag', () => {
  const { values, errors } = parse(['--port=9443', '--name', 'n1', '--skip', '--ttl=1m30s']);
  assert.deepEqual(errors, []);
  assert.equal(values.get('port'), 9443);
  assert.equal(values.get('name'), 'n1');
  assert.equal(values.get('skip'), true);
  assert.equal(values.get('ttl'), 90_000);
});

test('a bare boolean flag does not take the next argument', () => {
  const { values, errors } = parse(['--skip', '--port=1']);
  assert.deepEqual(errors, []);
  assert.equal(values.get('skip'), true);
  assert.equal(values.get('port'), 1);
});

test('booleans take the values of strconv.ParseBool', () => {
  for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True'])
    assert.equal(parse([`--skip=${t}`]).values.get('skip'), true);
  for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False'])
    assert.equal(parse([`--skip=${f}`]).values.get('skip'), false);
  const bad = parse(['--skip=yes']);
  assert.deepEqual(bad.errors, ['--skip: "yes" is not a boolean']);
  assert.ok(bad.invalid.has('skip'));
  assert.equal(bad.values.has('skip'), false);
});

test('lists split on commas; a repeated list flag collects every occurrence, as pflag does', () => {
  assert.deepEqual(parse(['--names=a, b']).values.get('names'), ['a', 'b']);
  assert.deepEqual(parse(['--names=a', '--names', 'b,c']).values.get('names'), ['a', 'b', 'c']);
  assert.deepEqual(parse(['--names=']).values.get('names'), []);
  assert.deepEqual(parse(['--names=a', '--names=']).values.get('names'), ['a']);
  // The first occurrence replaces the default and the environment, it does not add to them.
  assert.deepEqual(parse(['--names=a'], { NAMES: 'e' }).values.get('names'), ['a']);
  // Other kinds: the last occurrence wins.
  assert.equal(parse(['--port=1', '--port=2']).values.get('port'), 2);
});

test('the environment overrides defaults; flags override the environment', () => {
  const env = { PORT: '7443', NAME: 'from-env', SKIP: 'true', TTL: '250ms', NAMES: 'A,B' };
  const fromEnv = parse([], env);
  assert.deepEqual(fromEnv.errors, []);
  assert.deepEqual(Object.fromEntries(fromEnv.values), {
    port: 7443,
    name: 'from-env',
    skip: true,
    ttl: 250,
    names: ['A', 'B'],
  });
  assert.equal(fromEnv.sources.get('port')?.source, 'environment PORT');
  const both = parse(['--port=1'], env);
  assert.equal(both.values.get('port'), 1);
  assert.deepEqual(both.sources.get('port'), { source: '--port', text: '1' });
});

test('every bad value is reported, each naming where it came from', () => {
  const { errors, invalid } = parse(['--port=abc', '--ttl', '10x', '--nope', 'stray', '--name'], {
    SKIP: 'maybe',
  });
  assert.deepEqual(errors, [
    'unknown flag or argument "--nope"',
    'unknown flag or argument "stray"',
    '--name needs a value',
    '--port: "abc" is not an integer',
    'environment SKIP: "maybe" is not a boolean',
    '--ttl: "10x" is not a duration such as 10s or 1m30s',
  ]);
  assert.deepEqual([...invalid].sort(), ['port', 'skip', 'ttl']);
});

test('usage lists every flag with its kind and default', () => {
  const text = usage(SPECS);
  assert.match(text, /--port int\tp \(default "8443"\)/);
  assert.match(text, /--skip\ts \(default "false"\)/);
  assert.match(text, /--name string\tn$/m);
});
