import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareGoStrings,
  goByteLength,
  goJson,
  goQuote,
  isGoInt64,
} from '../../../src/apiserver/go-format.js';

test('goQuote escapes like strconv.Quote', () => {
  const cases: [string, string][] = [
    ['alice', '"alice"'],
    ['', '""'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['a\nb\tc\rd', '"a\\nb\\tc\\rd"'],
    ['\x07\b\f\v', '"\\a\\b\\f\\v"'],
    ['\x00\x1b\x7f', '"\\x00\\x1b\\x7f"'],
    ['système:admin', '"système:admin"'],
    ['今日は', '"今日は"'],
    ['😀', '"😀"'],
    ['no\u00a0break', '"no\\u00a0break"'],
    ['zero\u200bwidth', '"zero\\u200bwidth"'],
    ['private\ue000', '"private\\ue000"'],
    ['tag\u{e0001}', '"tag\\U000e0001"'],
    ['<&>', '"<&>"'],
    ['\u0085\u00ad\u2028\u3000', '"\\u0085\\u00ad\\u2028\\u3000"'],
    ['\u{10ffff}', '"\\U0010ffff"'],
    ['lone\ud800', '"lone\\ufffd"'],
  ];
  for (const [input, expected] of cases) assert.equal(goQuote(input), expected, JSON.stringify(input));
});

test('goJson writes what encoding/json writes', () => {
  const cases: [unknown, boolean, string][] = [
    [
      { b: 1, a: '<a href="x">&</a>' },
      true,
      '{"a":"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e","b":1}',
    ],
    [{ b: 1, a: 2 }, false, '{"b":1,"a":2}'],
    [{ b: 1, '10': 2, '2': 3 }, true, '{"10":2,"2":3,"b":1}'],
    [{ a: undefined, b: [1, 'x', null, true] }, true, '{"b":[1,"x",null,true]}'],
    [['line\u2028sep\u2029'], true, '["line\\u2028sep\\u2029"]'],
    ['\b\f\n\x01', true, '"\\b\\f\\n\\u0001"'],
    [1e21, true, '1e+21'],
    [0.0000001, true, '1e-7'],
    [null, true, 'null'],
    [{ nested: { z: 1, y: { x: [] } } }, true, '{"nested":{"y":{"x":[]},"z":1}}'],
  ];
  for (const [value, sortKeys, expected] of cases) assert.equal(goJson(value, { sortKeys }), expected);
});

test('goJson keeps struct field order and sorts the keys of the map fields named', () => {
  const spec = { user: 'a', extra: { z: ['1'], '10': ['x'], '2': ['y'] }, uid: 'u' };
  assert.equal(
    goJson(spec, { sortKeys: false, mapFields: new Set(['extra']) }),
    '{"user":"a","extra":{"10":["x"],"2":["y"],"z":["1"]},"uid":"u"}',
  );
  // Without it the map keeps JavaScript's own order, integer-like keys first.
  assert.equal(
    goJson(spec, { sortKeys: false }),
    '{"user":"a","extra":{"2":["y"],"10":["x"],"z":["1"]},"uid":"u"}',
  );
});

test('compareGoStrings orders by UTF-8 bytes, not UTF-16 units', () => {
  assert.ok(compareGoStrings('a', 'b') < 0);
  assert.ok(compareGoStrings('B', 'a') < 0);
  assert.equal(compareGoStrings('x', 'x'), 0);
  // U+FFFF sorts before U+1F600 in Go; JavaScript's default sort says the opposite.
  assert.ok(compareGoStrings('\uffff', '😀') < 0);
  assert.deepEqual(['😀', '\uffff'].sort(), ['😀', '\uffff']);
  assert.deepEqual(['😀', '\uffff'].sort(compareGoStrings), ['\uffff', '😀']);
});

test('goByteLength counts UTF-8 bytes', () => {
  assert.equal(goByteLength('abc'), 3);
  assert.equal(goByteLength('é'), 2);
  assert.equal(goByteLength('今'), 3);
  assert.equal(goByteLength('😀'), 4);
});

test('isGoInt64 accepts what strconv.ParseInt(s, 10, 64) accepts', () => {
  const rows: [string, boolean][] = [
    ['0', true],
    ['42', true],
    ['-42', true],
    ['+5', true],
    ['007', true],
    ['9223372036854775807', true],
    ['-9223372036854775808', true],
    ['9223372036854775808', false],
    ['-9223372036854775809', false],
    ['', false],
    ['-', false],
    ['1.5', false],
    ['1e3', false],
    [' 1', false],
    ['1_000', false],
    ['0x10', false],
  ];
  for (const [s, ok] of rows) assert.equal(isGoInt64(s), ok, s);
});
