import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiError } from '../../../src/kubectl-plugin/api-error.js';
import * as field from '../../../src/apiserver/field-errors.js';
import { forbidden, invalid } from '../../../src/apiserver/status.js';

const target = { group: 'infraops.michael.io', kind: 'RestartBatch', name: 'restart-x2k4v' };
const display = (body: object) => apiError(422, body, JSON.stringify(body)).display;

test('an Invalid Status prints as kubectl prints it: by kind, name and causes, not as "Error from server"', () => {
  const none = field.invalid('spec.labelSelector', 'pool=none', 'matches no nodes');
  assert.equal(
    display(invalid(target, [none])),
    'The RestartBatch "restart-x2k4v" is invalid: spec.labelSelector: Invalid value: "pool=none": matches no nodes',
  );
  const two = invalid(target, [none, field.invalid('spec.maxUnavailable', 0, 'must be at least 1'), none]);
  assert.equal(
    display(two),
    'The RestartBatch "restart-x2k4v" is invalid: \n' +
      '* spec.labelSelector: Invalid value: "pool=none": matches no nodes\n' +
      '* spec.maxUnavailable: Invalid value: 0: must be at least 1',
  );
});

test('an Invalid Status without details, or a bare 422, is "The request is invalid"', () => {
  const bare = invalid(target, []);
  delete bare.details;
  assert.equal(display(bare), `The request is invalid: ${bare.message}`);
  assert.equal(
    apiError(422, undefined, 'nope').display,
    'The request is invalid: the server rejected our request due to an error in our request',
  );
});

test('other Statuses keep "Error from server (Reason): message"', () => {
  const status = forbidden({ group: 'infraops.michael.io', resource: 'nodes', name: 'n1' }, 'no');
  assert.equal(apiError(403, status, '').display, `Error from server (Forbidden): ${status.message}`);
});
