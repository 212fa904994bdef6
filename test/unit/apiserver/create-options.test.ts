import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyFieldValidation,
  createOptionsFromQuery,
  warningHeader,
} from '../../../src/apiserver/create-options.js';
import { StatusError } from '../../../src/apiserver/status.js';

test('CreateOptions from the query: Warn by default, the first of a repeated fieldValidation', () => {
  assert.deepEqual(createOptionsFromQuery({}), { dryRun: false, fieldValidation: 'Warn' });
  assert.deepEqual(createOptionsFromQuery({ dryRun: 'All', fieldValidation: ['Strict', 'Ignore'] }), {
    dryRun: true,
    fieldValidation: 'Strict',
  });
  assert.deepEqual(createOptionsFromQuery({ fieldValidation: '' }).fieldValidation, 'Warn');
});

test('bad dryRun and fieldValidation values are one 422 naming both', () => {
  assert.throws(
    () => createOptionsFromQuery({ dryRun: 'Some', fieldValidation: 'strict' }),
    (err: StatusError) => {
      assert.equal(err.status.code, 422);
      assert.deepEqual(
        err.status.details?.causes?.map((c) => c.field),
        ['dryRun', 'fieldValidation'],
      );
      return true;
    },
  );
});

test('Strict lists every problem in one 400; Warn warns each; Ignore says nothing', () => {
  const problems = ['unknown field "a"', 'unknown field "spec.b"'];
  assert.throws(
    () => applyFieldValidation('Strict', problems, () => {}),
    (err: StatusError) =>
      err.status.code === 400 &&
      err.status.message === 'strict decoding error: unknown field "a", unknown field "spec.b"',
  );
  const warned: string[] = [];
  applyFieldValidation('Warn', problems, (w) => warned.push(w));
  assert.deepEqual(warned, problems);
  applyFieldValidation('Ignore', problems, () => assert.fail('Ignore warns'));
  applyFieldValidation('Strict', [], () => assert.fail('nothing to say'));
});

test('a Warning header as net.NewWarningHeader writes it', () => {
  assert.equal(warningHeader('unknown field "x\\y"'), '299 - "unknown field \\"x\\\\y\\""');
});
