// The NodeRestart object a restart request answers with: what was asked, the VM it resolved to, and
// what the cloud said (its request id), so the caller can always tell whether a reboot was requested.
import type { DryRunCheck, RebootMode, RebootResult } from '../../cloud/cloud-provider.js';
import type { CloudTarget } from '../../cloud/cloud-provider.js';
import { VERSION } from '../../discovery/resource-catalog.js';
import { RESTART_OPTIONS_KIND, type RestartOptions } from './restart-options.js';

export type RestartPhase = 'RebootRequested' | 'DryRun';

export interface NodeRestart {
  apiVersion: string;
  kind: 'NodeRestart';
  metadata: { name: string; creationTimestamp: string };
  spec: { apiVersion: string; kind: string; dryRun?: string[]; mode?: RebootMode; reason?: string };
  status: {
    phase: RestartPhase;
    dryRun: boolean;
    cloud: string;
    region: string;
    zone?: string;
    instanceID: string;
    mode: RebootMode;
    requestID?: string;
    /** The Node's bootID before the request: a different one, with Ready True, means it came back. */
    previousBootID?: string;
    requestedBy: string;
    checks?: DryRunCheck[];
    message: string;
  };
}

export interface RestartOutcome {
  group: string;
  target: CloudTarget;
  options: RestartOptions;
  result: RebootResult;
  previousBootID?: string;
  user: string;
  at: Date;
}

function message({ target, options, result }: RestartOutcome): string {
  const where = `instance ${target.instanceId} in ${target.region}`;
  const id = result.requestId === undefined ? '' : ` (request id ${result.requestId})`;
  if (options.dryRun) {
    return `dry run: node ${target.nodeName} can be restarted; ${where} passed every check${id}; nothing was restarted`;
  }
  return `${target.cloud} accepted the ${result.mode} reboot of ${where}, the VM behind node ${target.nodeName}${id}`;
}

export function nodeRestart(outcome: RestartOutcome): NodeRestart {
  const { group, target, options, result } = outcome;
  return {
    apiVersion: `${group}/${VERSION}`,
    kind: 'NodeRestart',
    metadata: { name: target.nodeName, creationTimestamp: outcome.at.toISOString().replace(/\.\d+Z$/, 'Z') },
    spec: {
      apiVersion: `${group}/${VERSION}`,
      kind: RESTART_OPTIONS_KIND,
      ...(options.dryRun ? { dryRun: ['All'] } : {}),
      ...(options.mode === undefined ? {} : { mode: options.mode }),
      ...(options.reason === undefined ? {} : { reason: options.reason }),
    },
    status: {
      phase: options.dryRun ? 'DryRun' : 'RebootRequested',
      dryRun: options.dryRun,
      cloud: target.cloud,
      region: target.region,
      ...(target.zone === undefined ? {} : { zone: target.zone }),
      instanceID: target.instanceId,
      mode: result.mode,
      ...(result.requestId === undefined ? {} : { requestID: result.requestId }),
      ...(outcome.previousBootID ? { previousBootID: outcome.previousBootID } : {}),
      requestedBy: outcome.user,
      ...(result.dryRunReport ? { checks: result.dryRunReport.checks } : {}),
      message: message(outcome),
    },
  };
}
