import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UrlEscapeError, parseQuery, pathUnescape, queryUnescape } from '../../../src/apiserver/go-url.js';

test('PathUnescape and QueryUnescape decode as net/url does', () => {
  const rows: [string, string, string][] = [
    ['a%20b', 'a b', 'a b'],
    ['a+b', 'a+b', 'a b'],
    ['example.com%2F%E4%BB%8A', 'example.com/今', 'example.com/今'],
    ['%41%62', 'Ab', 'Ab'],
    ['plain', 'plain', 'plain'],
  ];
  for (const [input, path, query] of rows) {
    assert.equal(pathUnescape(input), path, input);
    assert.equal(queryUnescape(input), query, input);
  }
  for (const [input, bad] of [
    ['%zz', '%zz'],
    ['%4', '%4'],
    ['%', '%'],
    ['a%2', '%2'],
  ]) {
    assert.throws(
      () => pathUnescape(input!),
      (err) => err instanceof UrlEscapeError && err.message === `invalid URL escape "${bad}"`,
    );
  }
});

test('ParseQuery keeps repeated keys in order and drops pairs Go rejects', () => {
  const parsed = parseQuery('a=1&b&a=2&c=%zz&d;e=1&=x&f=a%3Db+c&&g=');
  assert.deepEqual(Object.fromEntries(parsed), { a: ['1', '2'], b: [''], '': ['x'], f: ['a=b c'], g: [''] });
  assert.deepEqual(Object.fromEntries(parseQuery('')), {});
});
