// The bodies the plugin sends, built from its flags: a node's RestartOptions, and a RestartBatch whose
// spec.options carries the same options for each node it restarts.
import { ACTIONS, type Action } from './actions.js';
import type { BatchOptions, Options } from './options.js';
import { GROUP } from './resources.js';

/** --mode, --reason, --drain and --allow-control-plane; what is left out takes the server's defaults. */
const restartOptions = (options: Options) => ({
  ...(options.mode && { mode: options.mode }),
  ...(options.reason && { reason: options.reason }),
  ...(options.drain && { drain: options.drain }),
  ...(options.allowControlPlane && { allowControlPlane: true }),
});

/** The body of a POST nodes/NAME/ACTION. */
export function restartBody(options: Options, action: Action = 'restart') {
  return {
    apiVersion: `${GROUP}/v1`,
    kind: ACTIONS[action].kind,
    ...(options.dryRun && { dryRun: ['All'] }),
    ...restartOptions(options),
  };
}

/** A RestartBatch with a generated name (restart-xxxxx), so that runs never collide. */
export function batchBody(options: BatchOptions) {
  return {
    apiVersion: `${GROUP}/v1`,
    kind: 'RestartBatch',
    metadata: { generateName: 'restart-' },
    spec: {
      labelSelector: options.selector,
      maxUnavailable: options.maxUnavailable,
      ...(options.maxFailures === undefined ? {} : { maxFailures: options.maxFailures }),
      options: restartOptions(options),
    },
  };
}
