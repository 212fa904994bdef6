import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBatchRequest } from '../../../../src/restarts/batches/batch-request.js';
import { batchSummary } from '../../../../src/restarts/batches/batch-view.js';
import { finalPhase } from '../../../../src/restarts/batches/restart-batch.js';
import { StatusError, type Status } from '../../../../src/apiserver/status.js';

const GROUP = 'infraops.michael.io';

function failure(body: unknown): Status {
  try {
    parseBatchRequest(GROUP, body);
  } catch (err) {
    if (err instanceof StatusError) return err.status;
    throw err;
  }
  assert.fail('expected a StatusError');
}

test('a batch takes its name, selector, width and restart options, with defaults', () => {
  const parsed = parseBatchRequest(GROUP, {
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
  });
  const generated = parseBatchRequest(GROUP, {
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
  assert.equal(
    failure({ metadata: { name: 'x' }, spec: { labelSelector: 'a', options: { mode: 'Gentle' } } }).code,
    422,
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
