import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRestartOptions } from '../../../../src/restarts/request/restart-options.js';
import { createOptionsFromQuery } from '../../../../src/apiserver/create-options.js';
import { StatusError, type Status } from '../../../../src/apiserver/status.js';

const GROUP = 'infraops.michael.io';
const parse = (body: unknown, dryRunQuery?: unknown) =>
  parseRestartOptions({
    group: GROUP,
    nodeName: 'n1',
    body,
    options: createOptionsFromQuery({ dryRun: dryRunQuery, fieldValidation: 'Strict' }),
    warn: () => assert.fail('no warning with Strict'),
  });

function failure(body: unknown, dryRunQuery?: unknown): Status {
  try {
    parse(body, dryRunQuery);
  } catch (err) {
    if (err instanceof StatusError) return err.status;
    throw err;
  }
  assert.fail('expected a StatusError');
}

test('no body, an empty object and a full body', () => {
  assert.deepEqual(parse(undefined), {
    dryRun: false,
    mode: undefined,
    reason: undefined,
    allowControlPlane: false,
  });
  assert.deepEqual(parse({}), {
    dryRun: false,
    mode: undefined,
    reason: undefined,
    allowControlPlane: false,
  });
  assert.deepEqual(
    parse({
      apiVersion: `${GROUP}/v1`,
      kind: 'RestartOptions',
      dryRun: ['All'],
      mode: 'Hard',
      reason: 'kernel',
    }),
    { dryRun: true, mode: 'Hard', reason: 'kernel', allowControlPlane: false },
  );
});

test('dryRun from the query, alone or repeated', () => {
  assert.equal(parse({}, 'All').dryRun, true);
  assert.equal(parse({}, ['All', 'All']).dryRun, true);
  const bad = failure({}, ['All', 'Everything']);
  assert.equal(bad.code, 422);
  assert.equal(
    bad.message,
    'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["All","Everything"]: supported values: "All"',
  );
});

test('unknown fields and wrong JSON types are 400s as strict decoding reports them', () => {
  assert.equal(
    failure({ force: true, mode: 'Soft' }).message,
    'strict decoding error: unknown field "force"',
  );
  assert.equal(
    failure({ dryRun: 'All' }).message,
    'json: cannot unmarshal string into Go struct field RestartOptions.dryRun of type []string',
  );
  assert.equal(
    failure({ dryRun: [1] }).message,
    'json: cannot unmarshal number into Go struct field RestartOptions.dryRun of type string',
  );
  assert.equal(
    failure({ mode: true }).message,
    'json: cannot unmarshal bool into Go struct field RestartOptions.mode of type string',
  );
  assert.equal(
    failure({ allowControlPlane: 'yes' }).message,
    'json: cannot unmarshal string into Go struct field RestartOptions.allowControlPlane of type bool',
  );
  assert.equal(parse({ allowControlPlane: true }).allowControlPlane, true);
  assert.equal(failure([1]).message, 'json: cannot unmarshal array into Go value of type v1.RestartOptions');
  assert.equal(failure('x').code, 400);
});

test('type meta naming something else is a 400', () => {
  assert.match(
    failure({ apiVersion: 'v1' }).message!,
    /API version in the data \(v1\) does not match .*infraops/,
  );
  assert.match(failure({ kind: 'Eviction' }).message!, /kind in the data \(Eviction\)/);
});

test('values outside the API are one 422 listing every field', () => {
  const status = failure({ mode: 'Gentle', dryRun: ['All', 'Some'], reason: 'x'.repeat(1025) });
  assert.equal(status.code, 422);
  assert.equal(status.reason, 'Invalid');
  assert.deepEqual(
    status.details?.causes?.map((c) => c.field),
    ['dryRun[1]', 'mode', 'reason'],
  );
  assert.match(
    status.message!,
    /^RestartOptions\.infraops\.michael\.io "n1" is invalid: \[dryRun\[1\]: Unsupported/,
  );
});

test('drain: defaults, the grace period kept only when it is not the pods’ own', () => {
  assert.deepEqual(parse({ drain: {} }).drain, { timeoutSeconds: 300, onTimeout: 'Fail' });
  assert.deepEqual(parse({ drain: { gracePeriodSeconds: -1 } }).drain, {
    timeoutSeconds: 300,
    onTimeout: 'Fail',
  });
  assert.deepEqual(
    parse({ drain: { gracePeriodSeconds: 0, timeoutSeconds: 30, onTimeout: 'Proceed' } }).drain,
    {
      gracePeriodSeconds: 0,
      timeoutSeconds: 30,
      onTimeout: 'Proceed',
    },
  );
  assert.equal(parse({}).drain, undefined);
});

test('drain: unknown fields and wrong types are 400s with the field path', () => {
  assert.equal(
    failure({ drain: { force: true } }).message,
    'strict decoding error: unknown field "drain.force"',
  );
  assert.equal(
    failure({ drain: { timeoutSeconds: '30' } }).message,
    'json: cannot unmarshal string into Go struct field RestartOptions.drain.timeoutSeconds of type int64',
  );
  assert.equal(
    failure({ drain: { gracePeriodSeconds: 1.5 } }).message,
    'json: cannot unmarshal number 1.5 into Go struct field RestartOptions.drain.gracePeriodSeconds of type int64',
  );
  assert.equal(
    failure({ drain: true }).message,
    'json: cannot unmarshal bool into Go struct field RestartOptions.drain of type v1.DrainOptions',
  );
});

test('drain: values outside the API are a 422 naming each field', () => {
  const status = failure({ drain: { gracePeriodSeconds: -2, timeoutSeconds: 0, onTimeout: 'Ignore' } });
  assert.equal(status.code, 422);
  assert.deepEqual(
    status.details?.causes?.map((c) => c.field),
    ['drain.gracePeriodSeconds', 'drain.timeoutSeconds', 'drain.onTimeout'],
  );
  assert.match(
    status.message!,
    /drain\.onTimeout: Unsupported value: "Ignore": supported values: "Fail", "Proceed"/,
  );
});

test('a body may be the object client-go sends: metadata.name must be the node, kind NodeRestart is accepted', () => {
  const dynamicClientBody = {
    apiVersion: `${GROUP}/v1`,
    kind: 'NodeRestart',
    metadata: { name: 'n1', creationTimestamp: null },
    mode: 'Soft',
  };
  assert.equal(parse(dynamicClientBody).mode, 'Soft');
  assert.equal(parse({ kind: 'RestartOptions', metadata: {} }).mode, undefined);
  const mismatch = failure({ metadata: { name: 'n2' } });
  assert.equal(mismatch.code, 400);
  assert.equal(mismatch.message, 'name in URL does not match name in RestartOptions object');
  assert.equal(
    failure({ metadata: { name: 'n1', nickname: 'x' } }).message,
    'strict decoding error: unknown field "metadata.nickname"',
  );
  assert.equal(
    failure({ metadata: { name: 7 } }).message,
    'json: cannot unmarshal number into Go struct field RestartOptions.metadata.name of type string',
  );
  assert.equal(
    failure({ kind: 'NodePowerAction' }).message,
    'the kind in the data (NodePowerAction) does not match the expected kind (RestartOptions)',
  );
});

test('fieldValidation: Warn (the default) and Ignore drop unknown fields; a wrong type is a 400 under each', () => {
  const decode = (fieldValidation: unknown, body: unknown) => {
    const warnings: string[] = [];
    const options = parseRestartOptions({
      group: GROUP,
      nodeName: 'n1',
      body,
      options: createOptionsFromQuery({ fieldValidation }),
      warn: (text) => warnings.push(text),
    });
    return { options, warnings };
  };
  const body = { mode: 'Hard', force: true, drain: { timeoutSeconds: 30, hurry: 1 } };
  const warned = decode(undefined, body);
  assert.equal(warned.options.mode, 'Hard');
  assert.equal(warned.options.drain?.timeoutSeconds, 30);
  assert.deepEqual(warned.warnings, ['unknown field "force"', 'unknown field "drain.hurry"']);
  assert.deepEqual(decode('Warn', body).warnings, warned.warnings);
  assert.deepEqual(decode('Ignore', body).warnings, []);
  assert.throws(
    () => decode('Ignore', { mode: 1 }),
    (err: StatusError) => err.status.code === 400 && /cannot unmarshal number/.test(err.status.message ?? ''),
  );
  assert.throws(
    () => decode('Lenient', {}),
    (err: StatusError) =>
      err.status.code === 422 &&
      err.status.message ===
        'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Lenient": supported values: "", "Ignore", "Strict", "Warn"',
  );
});
