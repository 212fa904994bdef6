// The table of RebootInstances failures both cloud providers are tested with: each row a fault the emulator
// injects (or a state it is put in), the CloudError kind it must give, and how many requests the emulator saw.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudErrorKind } from '../../../../src/cloud/contract/error.js';
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
    test(`RebootInstances failing with ${row.name} gives ${row.kind}, with the request id`, async (t) => {
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
      if (row.code !== undefined) assert.equal(error.code, row.code);
      if (row.requestId !== false) assert.match(error.requestId ?? '', UUID);
      assert.equal(emulator.callsTo('RebootInstances').length, row.calls);
      assert.equal(emulator.instance(setup.instanceId)?.rebootCount, 0);
    });
  }
}
