import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkBatchPatch, parseBatchRequest } from '../../../../src/restarts/batches/batch-request.js';
import { batchSummary } from '../../../../src/restarts/batches/batch-view.js';
import { finalPhase } from '../../../../src/restarts/batches/restart-batch.js';
import { StatusError, type Status } from '../../../../src/apiserver/status.js';

const GROUP = 'infraops.michael.io';
const strict = (body: unknown) =>
  parseBatchRequest(GROUP, body, 'Strict', () => assert.fail('no warning with Strict'));

function failure(body: unknown): Status {
  try {
    strict(body);
  } catch (err) {
    if (err instanceof StatusError) return err.status;
    throw err;
  }
  assert.fail('expected a StatusError');
}

test('a batch takes its name, selector, width and restart options, with defaults', () => {
  const parsed = strict({
    metadata: { name: 'pool-a' },
    spec: { labelSelector: 'pool=a', options: { mode: 'Soft', drain: {} } },
  });
  assert.deepEqual(parsed, {
    name: 'pool-a',
    labelSelector: 'pool=a',
    maxUnavailable: 1,
    maxFailures: 0,
    options: {
      mode: 'Soft',
      reason: undefined,
      allowControlPlane: false,
      drain: { timeoutSeconds: 300, onTimeout: 'Fail' },
    },
    suspend: false,
  });
  const generated = strict({
    metadata: { generateName: 'nightly-' },
    spec: { labelSelector: 'a' },
  });
  assert.match(generated.name, /^nightly-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
});

test('bad batches: 400 for unknown fields and foreign kinds, one 422 for every bad value', () => {
  assert.equal(
    failure({ spec: { labelSelector: 'a', wave: 2 } }).message,
    'strict decoding error: unknown field "spec.wave"',
  );
  assert.equal(failure({ kind: 'Node', metadata: { name: 'x' }, spec: { labelSelector: 'a' } }).code, 400);
  const status = failure({
    metadata: { name: 'Bad_Name' },
    spec: { labelSelector: 'a in (b', maxUnavailable: 1.5, maxFailures: -1 },
  });
  assert.equal(status.code, 422);
  assert.deepEqual(
    status.details?.causes?.map((c) => c.field),
    ['metadata.name', 'spec.labelSelector', 'spec.maxUnavailable', 'spec.maxFailures'],
  );
  assert.equal(
    failure({ metadata: { name: 'x' }, spec: { labelSelector: 'a', options: { dryRun: ['All'] } } }).code,
    422,
  );
  // The options' 422 is the batch's, its fields where they sit in the batch, as one Go object's validation says.
  const badMode = failure({
    metadata: { name: 'x' },
    spec: { labelSelector: 'a', options: { mode: 'Gentle' } },
  });
  assert.equal(badMode.code, 422);
  assert.equal(badMode.details?.kind, 'RestartBatch');
  assert.equal(badMode.details?.name, 'x');
  assert.deepEqual(
    badMode.details?.causes?.map((c) => c.field),
    ['spec.options.mode'],
  );
});

test('a batch ends when no node is left to run: Succeeded only if every node did', () => {
  const node = (phase: 'Pending' | 'Restarting' | 'Succeeded' | 'Failed') => ({ name: phase, phase });
  assert.equal(finalPhase([node('Succeeded'), node('Restarting')]), undefined);
  assert.equal(finalPhase([node('Succeeded'), node('Pending')]), undefined);
  assert.equal(finalPhase([node('Succeeded'), node('Succeeded')]), 'Succeeded');
  assert.equal(finalPhase([node('Succeeded'), node('Failed')]), 'Failed');
  assert.equal(
    batchSummary([node('Succeeded'), node('Failed'), node('Failed')]),
    '3 nodes: 1 Succeeded, 2 Failed',
  );
});

test('a patched batch may differ from the batch only in its status; unknown fields as fieldValidation says', () => {
  const current = {
    apiVersion: `${GROUP}/v1`,
    kind: 'RestartBatch',
    metadata: { name: 'b1', uid: 'u1', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { labelSelector: 'pool=a', maxUnavailable: 1, options: {} },
    status: { phase: 'Running' },
  };
  const check = (patched: unknown, warn: (w: string) => void = () => assert.fail('no warning expected')) =>
    checkBatchPatch(GROUP, current, patched, 'Warn', warn);
  check({ ...current, status: { phase: 'Succeeded' } });
  const warnings: string[] = [];
  check({ ...current, colour: 'red' }, (w) => warnings.push(w));
  assert.deepEqual(warnings, ['unknown field "colour"']);
  assert.throws(
    () =>
      check({
        ...current,
        metadata: { ...current.metadata, labels: { a: 'b' } },
        spec: { labelSelector: 'x' },
      }),
    (err: StatusError) => {
      assert.equal(err.status.code, 422);
      assert.deepEqual(
        err.status.details?.causes?.map((c) => c.field),
        ['metadata.labels', 'spec.labelSelector', 'spec.maxUnavailable', 'spec.options'],
      );
      assert.match(err.status.message ?? '', /metadata\.labels: Invalid value: .*: field is immutable/);
      return true;
    },
  );
  assert.throws(
    () => check({ ...current, kind: 'Node' }),
    (err: StatusError) => err.status.code === 400,
  );
});

test('metadata is an ObjectMeta: another key in it is an unknown field, as are duplicates passed in', () => {
  const body = {
    metadata: { name: 'pool-a', labels: { a: 'b' }, foo: 1 },
    spec: { labelSelector: 'pool=a', options: { reason: 'r' } },
  };
  assert.equal(failure(body).message, 'strict decoding error: unknown field "metadata.foo"');
  const warnings: string[] = [];
  parseBatchRequest(GROUP, body, 'Warn', (w) => warnings.push(w), [
    'spec.maxFailures',
    'spec.options.reason',
  ]);
  assert.deepEqual(warnings, [
    'unknown field "metadata.foo"',
    'duplicate field "spec.maxFailures"',
    'duplicate field "spec.options.reason"',
  ]);
});

test("a merge patch's strict errors under Strict: kube-apiserver's 422 on the field patch, duplicates first", () => {
  const current = { metadata: { name: 'b1' }, spec: { labelSelector: 'pool=a' } };
  const patched = { ...current, colour: 'red', status: { phase: 'x' } };
  assert.throws(
    () => checkBatchPatch(GROUP, current, patched, 'Strict', () => assert.fail('no warning'), ['status']),
    (err: StatusError) => {
      assert.equal(err.status.code, 422);
      assert.equal(
        err.status.message,
        ' "" is invalid: patch: Invalid value: ' +
          '"{\\"colour\\":\\"red\\",\\"metadata\\":{\\"name\\":\\"b1\\"},\\"spec\\":{\\"labelSelector\\":\\"pool=a\\"},' +
          '\\"status\\":{\\"phase\\":\\"x\\"}}": strict decoding error: duplicate field "status", unknown field "colour"',
      );
      assert.deepEqual(err.status.details?.causes?.[0]?.field, 'patch');
      return true;
    },
  );
});
