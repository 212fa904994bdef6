// The protections' SubjectAccessReviews: built from their attributes, they are the reviews kube-apiserver's
// RequestInfo would give for a POST to the subresource, and a refusal is its Forbidden.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Logger } from '@nestjs/common';
import { newRequestInfo } from '../../../../src/apiserver/request-info.js';
import { StatusError } from '../../../../src/apiserver/status.js';
import { createOnNode } from '../../../../src/restarts/request/restart-protections.js';
import { GROUP, inMemoryRestarts } from '../../../support/in-memory/in-memory-restarts.js';

Logger.overrideLogger(false);

const ALICE = { name: 'alice', groups: ['system:authenticated'] };

test('createOnNode is what RequestInfo reads from a POST to the node subresource', () => {
  for (const name of ['n1', 'ip-10-0-0-1.ec2.internal', 'a'.repeat(253)]) {
    for (const subresource of ['reset', 'restart-control-plane', 'restart']) {
      const url = `/apis/${GROUP}/v1/nodes/${encodeURIComponent(name)}/${subresource}`;
      assert.deepEqual(createOnNode(GROUP, name, subresource), newRequestInfo('POST', url));
    }
  }
});

test('the review sent for a hard restart: verb, group, version, resource, subresource and name', async () => {
  const r = inMemoryRestarts();
  r.nodes.add({ name: 'n1' });
  r.reviews.allows = (spec) => spec.resourceAttributes?.subresource !== 'reset';

  const err = await r.service
    .restart('n1', { dryRun: false, allowControlPlane: false, mode: 'Hard' }, ALICE)
    .then(() => assert.fail('a hard restart without nodes/reset must be refused'))
    .catch((e: unknown) => e);

  assert.ok(err instanceof StatusError);
  assert.equal(err.status.code, 403);
  assert.equal(
    err.status.message,
    `nodes.${GROUP} "n1" is forbidden: User "alice" cannot create resource "nodes/reset" in API group "${GROUP}" at the cluster scope`,
  );
  assert.deepEqual(r.reviews.sent, [
    {
      resourceAttributes: {
        verb: 'create',
        group: GROUP,
        version: 'v1',
        resource: 'nodes',
        subresource: 'reset',
        name: 'n1',
      },
      user: 'alice',
      groups: ['system:authenticated'],
    },
  ]);
  assert.equal(r.reboots('n1'), 0);
  assert.deepEqual(r.events.reasons('n1'), ['RestartRefused']);
});

test('a control-plane node needs allowControlPlane and create on nodes/restart-control-plane', async () => {
  const r = inMemoryRestarts();
  r.nodes.add({ name: 'cp', labels: { 'node-role.kubernetes.io/control-plane': '' } });
  const restart = (allowControlPlane: boolean, user = ALICE) =>
    r.service.restart('cp', { dryRun: false, allowControlPlane }, user).catch((e: StatusError) => e.status);

  const unasked = await restart(false);
  assert.equal('code' in unasked && unasked.code, 403);
  assert.equal(r.reviews.sent.length, 0);

  r.reviews.allows = () => false;
  const denied = await restart(true);
  assert.equal('code' in denied && denied.code, 403);
  assert.equal(r.reviews.sent[0]!.resourceAttributes!.subresource, 'restart-control-plane');
  assert.equal(r.reviews.sent[0]!.resourceAttributes!.name, 'cp');

  // Another user: the denial is cached for alice, as reviews are.
  r.reviews.allows = (spec) => spec.user === 'bob';
  const allowed = await restart(true, { ...ALICE, name: 'bob' });
  assert.equal('kind' in allowed && allowed.kind, 'NodeRestart');
  assert.equal(r.reboots('cp'), 1);
});
