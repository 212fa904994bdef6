// The NodeRestart object restart requests answer with and GET nodes/NAME/restart reads: what was asked,
// the VM it resolved to, where the operation stands, and the cloud's request id — so the caller can always
// tell whether a reboot was requested.
import type { DryRunCheck } from '../../cloud/contract/provider.js';
import { VERSION } from '../../apiserver/resource-catalog.js';
import type { OperationDrain, OperationPhase, RestartOperation } from '../operations/restart-operation.js';
import { RESTART_OPTIONS_KIND } from './restart-options.js';

export interface NodeRestart {
  apiVersion: string;
  kind: 'NodeRestart';
  metadata: { name: string; creationTimestamp: string };
  spec: {
    apiVersion: string;
    kind: string;
    dryRun?: string[];
    mode?: string;
    reason?: string;
    drain?: Omit<OperationDrain, 'deadline'>;
  };
  status: Omit<RestartOperation, 'id' | 'node' | 'phase' | 'reason'> & {
    operationID?: string;
    phase: OperationPhase | 'DryRun';
    dryRun: boolean;
    checks?: DryRunCheck[];
  };
}

function drainSpec({ deadline: _, ...options }: OperationDrain): Omit<OperationDrain, 'deadline'> {
  return options;
}

/** A dry run is rendered from the operation it would have started, which was never recorded. */
export function nodeRestart(
  group: string,
  op: RestartOperation,
  dryRun?: { checks: DryRunCheck[]; message: string },
): NodeRestart {
  const { id, node, phase, reason, ...status } = op;
  return {
    apiVersion: `${group}/${VERSION}`,
    kind: 'NodeRestart',
    metadata: { name: node, creationTimestamp: op.startedAt },
    spec: {
      apiVersion: `${group}/${VERSION}`,
      kind: RESTART_OPTIONS_KIND,
      ...(dryRun ? { dryRun: ['All'] } : {}),
      mode: op.mode,
      ...(reason === undefined ? {} : { reason }),
      ...(op.drain === undefined ? {} : { drain: drainSpec(op.drain) }),
    },
    status: dryRun
      ? { ...status, phase: 'DryRun', dryRun: true, checks: dryRun.checks, message: dryRun.message }
      : { operationID: id, ...status, phase, dryRun: false },
  };
}
