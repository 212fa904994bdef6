// The NodeRepairPolicy body: defaults, every bad field a cause of one 422, the notReadyTimeout floor, and the
// restart options decoded as a single restart's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../../src/apiserver/status.js';
import { goDuration, parsePolicyRequest } from '../../../src/repair/policy-request.js';

const GROUP = 'infraops.michael.io';
const MINUTES_3 = 180_000;

const parse = (body: unknown, floor = MINUTES_3, warnings: string[] = []) =>
  parsePolicyRequest(GROUP, body, floor, 'Warn', (w) => warnings.push(w));

function refusal(body: unknown, floor = MINUTES_3) {
  try {
    parse(body, floor);
  } catch (err) {
    assert.ok(err instanceof StatusError);
    return err.status;
  }
  assert.fail('accepted');
}

test('defaults: 10m, 40%, 3 repairs an hour, mode Repair, the provider default reboot without a drain', () => {
  const policy = parse({ metadata: { name: 'workers' }, spec: { nodeSelector: 'pool=workers' } });
  assert.deepEqual(policy, {
    name: 'workers',
    spec: {
      nodeSelector: 'pool=workers',
      notReadyTimeout: '10m',
      notReadyTimeoutMs: 600_000,
      maxUnhealthy: '40%',
      maxRepairsPerHour: 3,
      mode: 'Repair',
      options: { mode: undefined, reason: undefined, allowControlPlane: false },
    },
  });
});

test('every bad field is a cause of one 422 Invalid', () => {
  const status = refusal({
    metadata: { name: 'Bad_Name' },
    spec: {
      nodeSelector: 'a in (',
      notReadyTimeout: 'soon',
      maxUnhealthy: '140%',
      maxRepairsPerHour: 0,
      mode: 'Auto',
    },
  });
  assert.equal(status.code, 422);
  assert.equal(status.reason, 'Invalid');
  assert.deepEqual(
    status.details?.causes?.map((c) => c.field),
    [
      'metadata.name',
      'spec.nodeSelector',
      'spec.notReadyTimeout',
      'spec.maxUnhealthy',
      'spec.maxRepairsPerHour',
      'spec.mode',
    ],
  );
  assert.equal(status.details?.kind, 'NodeRepairPolicy');
});

test('notReadyTimeout below the floor is refused, naming the floor; a lower floor lets it through', () => {
  const body = { metadata: { name: 'fast' }, spec: { nodeSelector: 'pool=a', notReadyTimeout: '30s' } };
  const status = refusal(body);
  assert.equal(status.code, 422);
  assert.match(status.message ?? '', /spec\.notReadyTimeout: Invalid value: "30s": must be at least 3m0s/);
  assert.equal(parse(body, 1000).spec.notReadyTimeoutMs, 30_000);
});

test('maxUnhealthy: a count or a percentage; a nodeSelector is required', () => {
  assert.equal(
    parse({ metadata: { name: 'a' }, spec: { nodeSelector: 'x', maxUnhealthy: 2 } }).spec.maxUnhealthy,
    2,
  );
  assert.equal(
    parse({ metadata: { name: 'a' }, spec: { nodeSelector: 'x', maxUnhealthy: '100%' } }).spec.maxUnhealthy,
    '100%',
  );
  assert.equal(refusal({ metadata: { name: 'a' }, spec: { nodeSelector: 'x', maxUnhealthy: -1 } }).code, 422);
  assert.equal(
    refusal({ metadata: { name: 'a' }, spec: { nodeSelector: 'x', maxUnhealthy: '5' } }).code,
    422,
  );
  const missing = refusal({ metadata: { name: 'a' }, spec: {} });
  assert.equal(missing.details?.causes?.[0]?.field, 'spec.nodeSelector');
  assert.equal(missing.details?.causes?.[0]?.reason, 'FieldValueRequired');
});

test('restart options as a restart has them; dryRun there is forbidden (mode: DryRun is the policy dry run)', () => {
  const drained = parse({
    metadata: { name: 'a' },
    spec: { nodeSelector: 'x', mode: 'DryRun', options: { mode: 'Hard', drain: { timeoutSeconds: 60 } } },
  });
  assert.equal(drained.spec.mode, 'DryRun');
  assert.equal(drained.spec.options.mode, 'Hard');
  assert.equal(drained.spec.options.drain?.timeoutSeconds, 60);
  const dry = refusal({ metadata: { name: 'a' }, spec: { nodeSelector: 'x', options: { dryRun: ['All'] } } });
  assert.match(dry.message ?? '', /spec\.options\.dryRun: Forbidden: use spec\.mode: DryRun/);
});

test('unknown fields are warnings by default, a 400 with Strict; another kind is a 400', () => {
  const warnings: string[] = [];
  parse({ metadata: { name: 'a' }, spec: { nodeSelector: 'x', color: 'red' } }, MINUTES_3, warnings);
  assert.deepEqual(warnings, ['unknown field "spec.color"']);
  assert.throws(
    () =>
      parsePolicyRequest(
        GROUP,
        { metadata: { name: 'a' }, spec: { nodeSelector: 'x', color: 1 } },
        0,
        'Strict',
        () => {},
      ),
    (err: StatusError) =>
      err.status.code === 400 && /strict decoding error: unknown field "spec.color"/.test(err.message),
  );
  assert.equal(
    refusal({ kind: 'RestartBatch', metadata: { name: 'a' }, spec: { nodeSelector: 'x' } }).code,
    400,
  );
});

test('goDuration prints as Go does', () => {
  assert.deepEqual(
    [goDuration(180_000), goDuration(10_000), goDuration(3_600_000)],
    ['3m0s', '10s', '1h0m0s'],
  );
});
