// The NodePowerAction object stop and start requests answer with: what was asked, the VM it resolved to, and the
// cloud's request id, so the caller can always tell whether the cloud was asked.
import type { CloudTarget, DryRunCheck, PowerResult } from '../../cloud/contract/provider.js';
import { VERSION } from '../../apiserver/resource-catalog.js';
import type { PowerAction, PowerOptions } from './power-options.js';

export const NODE_POWER_ACTION_KIND = 'NodePowerAction';

export interface NodePowerAction {
  apiVersion: string;
  kind: typeof NODE_POWER_ACTION_KIND;
  metadata: { name: string; creationTimestamp: string };
  spec: { action: PowerAction; dryRun?: string[]; mode?: string; reason?: string };
  status: {
    dryRun: boolean;
    cloud: string;
    region: string;
    zone?: string;
    instanceID: string;
    requestID?: string;
    requestedBy: string;
    checks?: DryRunCheck[];
    message: string;
  };
}

const VERBS: Readonly<Record<PowerAction, { noun: string; past: string }>> = {
  Stop: { noun: 'stop', past: 'stopped' },
  Start: { noun: 'start', past: 'started' },
};

export const powerVerbs = (action: PowerAction) => VERBS[action];

function message(target: CloudTarget, options: PowerOptions, result: PowerResult): string {
  const { noun, past } = VERBS[options.action];
  const id = result.requestId === undefined ? '' : ` (request id ${result.requestId})`;
  const where = `instance ${target.instanceId} in ${target.region}`;
  if (options.dryRun) {
    return `dry run: node ${target.nodeName} can be ${past}; ${where} passed every check${id}; nothing was ${past}`;
  }
  const mode = options.mode === undefined ? '' : `${options.mode} `;
  return `${target.cloud} accepted the ${mode}${noun} of ${where}${id}`;
}

export function nodePowerAction(
  group: string,
  target: CloudTarget,
  options: PowerOptions,
  requestedBy: string,
  result: PowerResult,
  at: string,
): NodePowerAction {
  return {
    apiVersion: `${group}/${VERSION}`,
    kind: NODE_POWER_ACTION_KIND,
    metadata: { name: target.nodeName, creationTimestamp: at },
    spec: {
      action: options.action,
      ...(options.dryRun && { dryRun: ['All'] }),
      ...(options.mode !== undefined && { mode: options.mode }),
      ...(options.reason !== undefined && { reason: options.reason }),
    },
    status: {
      dryRun: options.dryRun,
      cloud: target.cloud,
      region: target.region,
      ...(target.zone !== undefined && { zone: target.zone }),
      instanceID: target.instanceId,
      ...(result.requestId !== undefined && { requestID: result.requestId }),
      requestedBy,
      ...(result.dryRunReport && { checks: result.dryRunReport.checks }),
      message: message(target, options, result),
    },
  };
}
