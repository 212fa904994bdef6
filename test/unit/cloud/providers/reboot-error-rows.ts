// The table of RebootInstances failures both cloud providers are tested with: each row a fault the emulator
// injects (or a state it is put in), the CloudError kind and outcome it must give, and how many requests the
// emulator saw. Then the failures that come after the cloud carried the reboot out: their outcome is unknown.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudErrorKind, CloudOutcome } from '../../../../src/cloud/contract/error.js';
import { saysOutcomeUnknown } from '../../../../src/cloud/contract/error-status.js';
import type { CloudProvider, CloudTarget } from '../../../../src/cloud/contract/provider.js';
import type { FaultRule } from '../../../emulators/common/faults.js';
import { cloudFailure, UUID } from './helpers.js';

export interface RebootErrorRow<E, O> {
  name: string;
  fault?: FaultRule;
  options?: Partial<O>;
  instanceId?: string;
  prepare?: (emulator: E) => void;
  kind: CloudErrorKind;
  /** not-acted: the cloud refused the request, or never got it. unknown: it may have carried it out. */
  outcome: CloudOutcome;
  code?: string;
  message?: RegExp;
  /** Requests the emulator should see. */
  calls: number;
  /** false: the failure carries no request id (e.g. a bare 502 from a proxy). */
  requestId?: boolean;
}

interface RebootEmulator {
  inject(rule: FaultRule & { action: string }): unknown;
  callsTo(action: string): readonly unknown[];
  instance(id: string): { rebootCount: number } | undefined;
  executed(action?: string, instanceId?: string): readonly unknown[];
}

export interface RebootErrorSetup<E, O> {
  cloud: CloudProvider['cloud'];
  emulator: (t: TestContext) => Promise<E>;
  provider: (t: TestContext, emulator: E, options?: Partial<O>) => CloudProvider;
  target: (instanceId: string) => CloudTarget;
  /** The instance rows act on unless they name another; it must never have rebooted. */
  instanceId: string;
}

const reboot = { mode: 'SoftFirst', dryRun: false } as const;

export function rebootErrorTests<E extends RebootEmulator, O>(
  rows: readonly RebootErrorRow<E, O>[],
  setup: RebootErrorSetup<E, O>,
): void {
  for (const row of rows) {
    test(`RebootInstances failing with ${row.name} gives ${row.kind} (${row.outcome}), with the request id`, async (t) => {
      const emulator = await setup.emulator(t);
      row.prepare?.(emulator);
      if (row.fault) emulator.inject({ action: 'RebootInstances', ...row.fault });
      const provider = setup.provider(t, emulator, row.options);
      const error = await cloudFailure(
        provider.reboot(setup.target(row.instanceId ?? setup.instanceId), reboot),
        row.kind,
        row.message,
      );
      assert.equal(error.cloud, setup.cloud);
      assert.equal(error.outcome, row.outcome, error.message);
      assert.equal(saysOutcomeUnknown(error.toStatus()), row.outcome === 'unknown');
      if (row.outcome === 'unknown') assert.equal(error.retryAfterSeconds, undefined);
      if (row.code !== undefined) assert.equal(error.code, row.code);
      if (row.requestId !== false) assert.match(error.requestId ?? '', UUID);
      assert.equal(emulator.callsTo('RebootInstances').length, row.calls);
      assert.equal(emulator.instance(setup.instanceId)?.rebootCount, 0);
    });
  }
}

export interface ActedRow<O> {
  name: string;
  fault: FaultRule;
  options?: Partial<O>;
  kind: CloudErrorKind;
  message: RegExp;
}

/**
 * A cloud that carries the reboot out and then fails to say so: the error's outcome is unknown, its Status says the
 * cloud may have acted and has no Retry-After, and the reboot was asked and carried out once.
 */
export function actedThenFailedTests<E extends RebootEmulator, O>(
  rows: readonly ActedRow<O>[],
  setup: RebootErrorSetup<E, O>,
): void {
  for (const row of rows) {
    test(`RebootInstances carried out, then ${row.name}: ${row.kind} whose outcome is unknown`, async (t) => {
      const emulator = await setup.emulator(t);
      emulator.inject({ action: 'RebootInstances', afterExecuting: true, ...row.fault });
      const provider = setup.provider(t, emulator, row.options);
      const error = await cloudFailure(
        provider.reboot(setup.target(setup.instanceId), reboot),
        row.kind,
        row.message,
      );
      assert.equal(error.outcome, 'unknown');
      const status = error.toStatus();
      assert.ok(saysOutcomeUnknown(status), JSON.stringify(status));
      assert.equal(status.details?.retryAfterSeconds, undefined);
      assert.equal(emulator.callsTo('RebootInstances').length, 1);
      assert.equal(emulator.executed('RebootInstances', setup.instanceId).length, 1);
    });
  }
}
