import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePowerOptions, type PowerAction } from '../../../src/nodes/power/power-options.js';
import { createOptionsFromQuery } from '../../../src/apiserver/create-options.js';
import { StatusError, type Status } from '../../../src/apiserver/status.js';

const GROUP = 'infraops.michael.io';
const parse = (action: PowerAction, body: unknown, dryRunQuery?: unknown) =>
  parsePowerOptions(action, {
    group: GROUP,
    nodeName: 'n1',
    body,
    options: createOptionsFromQuery({ dryRun: dryRunQuery, fieldValidation: 'Strict' }),
    warn: () => assert.fail('no warning with Strict'),
  });

function failure(action: PowerAction, body: unknown, dryRunQuery?: unknown): Status {
  try {
    parse(action, body, dryRunQuery);
  } catch (err) {
    if (err instanceof StatusError) return err.status;
    throw err;
  }
  assert.fail('expected a StatusError');
}

test('a stop defaults to SoftFirst; a start has no mode', () => {
  assert.deepEqual(parse('Stop', undefined), {
    action: 'Stop',
    dryRun: false,
    mode: 'SoftFirst',
    reason: undefined,
    allowControlPlane: false,
  });
  assert.deepEqual(parse('Start', {}), {
    action: 'Start',
    dryRun: false,
    reason: undefined,
    allowControlPlane: false,
  });
  assert.deepEqual(
    parse('Stop', {
      apiVersion: `${GROUP}/v1`,
      kind: 'StopOptions',
      dryRun: ['All'],
      mode: 'Hard',
      reason: 'maintenance',
      allowControlPlane: true,
    }),
    { action: 'Stop', dryRun: true, mode: 'Hard', reason: 'maintenance', allowControlPlane: true },
  );
  assert.equal(parse('Start', { kind: 'StartOptions' }, 'All').dryRun, true);
  assert.equal(parse('Start', { reason: '' }).reason, undefined);
});

test('unknown fields and wrong types are 400s naming the kind; a mode on a start is unknown', () => {
  assert.deepEqual(
    [failure('Start', { mode: 'Hard' }).code, failure('Start', { mode: 'Hard' }).message],
    [400, 'strict decoding error: unknown field "mode"'],
  );
  assert.equal(
    failure('Stop', { reason: 42 }).message,
    'json: cannot unmarshal number into Go struct field StopOptions.reason of type string',
  );
  assert.equal(
    failure('Start', { allowControlPlane: 'yes' }).message,
    'json: cannot unmarshal string into Go struct field StartOptions.allowControlPlane of type bool',
  );
  assert.match(failure('Stop', { kind: 'StartOptions' }).message!, /expected kind \(StopOptions\)/);
});

test('bad values are one 422 on the options kind; a bad dryRun query a 422 on CreateOptions', () => {
  const status = failure('Stop', { mode: 'Gentle', dryRun: ['Some'] });
  assert.deepEqual([status.code, status.reason], [422, 'Invalid']);
  assert.deepEqual(
    status.details?.causes?.map((c) => c.field),
    ['dryRun[0]', 'mode'],
  );
  assert.match(status.message!, /^StopOptions\.infraops\.michael\.io "n1" is invalid: /);
  assert.match(
    status.message!,
    /mode: Unsupported value: "Gentle": supported values: "Soft", "Hard", "SoftFirst"/,
  );
  const query = failure('Start', {}, 'Some');
  assert.equal(query.code, 422);
  assert.match(query.message!, /^CreateOptions\.meta\.k8s\.io "" is invalid: dryRun/);
});
