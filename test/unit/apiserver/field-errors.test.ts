import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as field from '../../../src/apiserver/field-errors.js';

test('ErrorBody renders each error type and bad value as Go does', () => {
  const cases: [field.FieldError, string][] = [
    [field.required('spec.reason'), 'Required value'],
    [field.required('spec.reason', 'a reason is needed'), 'Required value: a reason is needed'],
    [field.forbidden('spec.x', 'may not be set'), 'Forbidden: may not be set'],
    [
      field.invalid('metadata.name', 'Bad_Name', 'must be lowercase'),
      'Invalid value: "Bad_Name": must be lowercase',
    ],
    [
      field.invalid('spec.ports[0].port', 0, 'must be between 1 and 65535, inclusive'),
      'Invalid value: 0: must be between 1 and 65535, inclusive',
    ],
    [field.invalid('spec.x', -42, ''), 'Invalid value: -42'],
    [field.invalid('spec.x', 1.5, 'd'), 'Invalid value: 1.5: d'],
    [field.invalid('spec.x', 1234567.5, 'd'), 'Invalid value: 1.2345675e+06: d'],
    [field.invalid('spec.x', 0.00001234, 'd'), 'Invalid value: 1.234e-05: d'],
    [field.invalid('spec.x', 0.0001, 'd'), 'Invalid value: 0.0001: d'],
    [field.invalid('spec.x', true, 'd'), 'Invalid value: true: d'],
    [field.invalid('spec.x', null, 'd'), 'Invalid value: null: d'],
    [field.invalid('spec.x', undefined, 'd'), 'Invalid value: null: d'],
    [field.invalid('spec.x', 'say "hi"\n', 'd'), 'Invalid value: "say \\"hi\\"\\n": d'],
    [
      field.invalid('spec.labels', { b: '2', a: '<1>' }, 'd'),
      'Invalid value: {"a":"\\u003c1\\u003e","b":"2"}: d',
    ],
    [field.notSupported('dryRun', ['foo'], ['All']), 'Unsupported value: ["foo"]: supported values: "All"'],
    [field.notSupported('spec.mode', 'x', ['a', 'b']), 'Unsupported value: "x": supported values: "a", "b"'],
    [field.notSupported('spec.mode', 'x', []), 'Unsupported value: "x"'],
    [field.tooLong('metadata.annotations', 262144), 'Too long: may not be more than 262144 bytes'],
    [field.tooLong('spec.x', 1), 'Too long: may not be more than 1 byte'],
    [field.tooLong('spec.x', -1), 'Too long: value is too long'],
    [field.tooMany('spec.items', 5, 3), 'Too many: 5: must have at most 3 items'],
    [field.tooMany('spec.items', -1, 1), 'Too many: must have at most 1 item'],
    [field.tooMany('spec.items', 2, -1), 'Too many: 2: has too many items'],
    [field.notFound('spec.ref', 'x'), 'Not found: "x"'],
    [field.duplicate('spec.keys[1]', 'k'), 'Duplicate value: "k"'],
    [
      field.typeInvalid('spec.count', 'three', 'must be an integer'),
      'Invalid value: "three": must be an integer',
    ],
    [field.internalError('spec', 'boom'), 'Internal error: boom'],
  ];
  for (const [error, expected] of cases) assert.equal(field.errorBody(error), expected);
});

test('Error() puts the field path first', () => {
  assert.equal(field.errorMessage(field.required('spec.reason')), 'spec.reason: Required value');
});

test('the aggregate message drops duplicates and brackets several errors', () => {
  const a = field.required('spec.a');
  const b = field.invalid('spec.b', 'x', 'bad');
  const cases: [field.FieldError[], string | undefined][] = [
    [[], undefined],
    [[a], 'spec.a: Required value'],
    [[a, a], 'spec.a: Required value'],
    [[a, b], '[spec.a: Required value, spec.b: Invalid value: "x": bad]'],
    [[a, b, a], '[spec.a: Required value, spec.b: Invalid value: "x": bad]'],
  ];
  for (const [errors, expected] of cases) assert.equal(field.aggregateMessage(errors), expected);
});
