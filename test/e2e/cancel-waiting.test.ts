// A restart still waiting for its turn behind the cloud's rate limit (EC2: 5 RebootInstances a second, burst 5) can
// be cancelled: DELETE nodes/NAME/restart ends it Cancelled, and the cloud never carries its reboot out.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../control-plane/processes.js';
import type { CloudEmulators } from '../support/clouds.js';
import { viaApiserver, type DirectResponse } from '../support/direct.js';
import { restartPath } from '../support/server.js';
import { e2eSuite } from '../support/suite.js';

const COUNT = 12;
const instance = (n: number) => `i-0c1c2c3c4c5c600${n.toString(16).padStart(2, '0')}`;
const node = (n: number) => `cw-${n}`;
const range = Array.from({ length: COUNT }, (_, n) => n);

const suite = await e2eSuite();
const { cp } = suite;
let clouds: CloudEmulators;

before(async () => {
  clouds = await suite.clouds({ ec2: range.map((n) => ({ instanceId: instance(n), region: 'us-west-2' })) });
  await suite.nodes(
    range.map((n) => ({
      name: node(n),
      providerID: `aws:///us-west-2a/${instance(n)}`,
      bootID: `boot-${n}`,
    })),
  );
  await suite.server({ env: clouds.serverEnv });
});

interface RestartStatus {
  operationID?: string;
  phase: string;
  message: string;
}

const statusOf = (res: DirectResponse) => (res.json() as { status: RestartStatus }).status;

test('a restart waiting for its turn at the cloud is cancelled by DELETE: Cancelled, and never carried out', async () => {
  // Each restart its own RebootInstances (25 ms apart, past the 10 ms batch window): more than the burst, so the
  // last ones wait for their turn.
  const requests: Promise<DirectResponse>[] = [];
  for (const n of range) {
    requests.push(viaApiserver(cp, { method: 'POST', path: restartPath(node(n)) }));
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const cancelled: number[] = [];
  const tooLate: number[] = [];
  for (const n of [...range].reverse()) {
    const latest = await viaApiserver(cp, { path: restartPath(node(n)) });
    if (latest.status !== 200 || statusOf(latest).phase !== 'Accepted') continue;
    const cancel = await viaApiserver(cp, { method: 'DELETE', path: restartPath(node(n)) });
    if (cancel.status === 409) {
      tooLate.push(n);
      continue;
    }
    assert.equal(cancel.status, 200, cancel.body);
    assert.equal(statusOf(cancel).phase, 'Cancelled');
    cancelled.push(n);
  }
  assert.ok(cancelled.length > 0, `no restart was cancelled while waiting (too late: ${tooLate.join(', ')})`);

  const answers = await Promise.all(requests);
  for (const n of cancelled) {
    // The request that was waiting answers with its restart as it ended.
    assert.equal(statusOf(answers[n]!).phase, 'Cancelled', answers[n]!.body);
    assert.match(statusOf(answers[n]!).message, /^cancelled by .* before its reboot/);
  }
  await waitFor('every other reboot to be carried out', async () =>
    range.every(
      (n) => cancelled.includes(n) || clouds.ec2.executed('RebootInstances', instance(n)).length === 1,
    )
      ? true
      : undefined,
  );
  assert.deepEqual(
    range.map((n) => clouds.ec2.executed('RebootInstances', instance(n)).length),
    range.map((n) => (cancelled.includes(n) ? 0 : 1)),
  );
});
