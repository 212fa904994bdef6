import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNodeSelection, selects } from '../../../src/apiserver/selectors/node-selection.js';
import { StatusError } from '../../../src/apiserver/status.js';

const labels = { pool: 'a', cloud: 'aws', gen: '5' };

test('label selectors match as labels.Selector.Matches does', () => {
  const rows: [string, boolean][] = [
    ['', true],
    ['pool=a', true],
    ['pool==b', false],
    ['pool!=b', true],
    ['missing!=x', true],
    ['pool in (a,b)', true],
    ['pool notin (a,b)', false],
    ['missing notin (a)', true],
    ['cloud', true],
    ['!cloud', false],
    ['!missing', true],
    ['gen>4', true],
    ['gen<5', false],
    ['pool>1', false],
    ['pool=a,cloud=gcp', false],
  ];
  for (const [selector, expected] of rows) {
    assert.equal(selects(parseNodeSelection(selector), 'n1', labels), expected, selector);
  }
  assert.equal(selects(parseNodeSelection('pool=a'), 'n1', undefined), false);
});

test('field selectors: metadata.name only, = pins the name, != excludes it', () => {
  assert.equal(parseNodeSelection('', 'metadata.name=n1').pinnedName, 'n1');
  assert.equal(selects(parseNodeSelection('', 'metadata.name=n1'), 'n1'), true);
  assert.equal(selects(parseNodeSelection('', 'metadata.name=n1'), 'n2'), false);
  assert.equal(selects(parseNodeSelection('', 'metadata.name!=n1'), 'n1'), false);
  assert.equal(parseNodeSelection('', 'metadata.name!=n1').pinnedName, undefined);
});

test('bad selectors are 400 Status errors with Go messages', () => {
  const message = (l: string, f = '') => {
    try {
      parseNodeSelection(l, f);
    } catch (err) {
      assert.ok(err instanceof StatusError);
      assert.equal(err.status.code, 400);
      return err.status.message ?? '';
    }
    assert.fail(`no error for ${l} ${f}`);
  };
  assert.equal(message('', 'spec.unschedulable=true'), 'field label not supported: spec.unschedulable');
  assert.equal(
    message('', 'metadata.name'),
    "invalid selector: 'metadata.name'; can't understand 'metadata.name'",
  );
  assert.match(message('pool in (a'), /unable to parse requirement/);
});
