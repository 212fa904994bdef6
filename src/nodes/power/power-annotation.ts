// The last stop or start this server asked a cloud for, kept as an annotation on the Node: every replica sees it
// through the Node informer, and our `nodes` resource shows it without asking any cloud, so a list of thousands of
// nodes stays as cheap as before. It says what was asked, not what the VM does now.
import type { V1Node } from '@kubernetes/client-node';
import type { RebootMode } from '../../cloud/contract/provider.js';
import type { PowerAction } from './power-options.js';

export const POWER_ANNOTATION = 'infraops.michael.io/power-action';

export interface PowerMark {
  action: PowerAction;
  mode?: RebootMode;
  /** The cloud's request id. */
  requestID?: string;
  requestedBy: string;
  /** RFC 3339, when the cloud accepted the request. */
  time: string;
}

export function readPowerMark(node: V1Node): PowerMark | undefined {
  const text = node.metadata?.annotations?.[POWER_ANNOTATION];
  if (!text) return undefined;
  try {
    const mark = JSON.parse(text) as PowerMark;
    return (mark.action === 'Stop' || mark.action === 'Start') && typeof mark.time === 'string'
      ? mark
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stopped while the last power action was a stop and the Node has not become Ready since (started some other way,
 * it would have); undefined otherwise, when the Ready condition tells the state.
 */
export function powerState(node: V1Node, mark: PowerMark | undefined): 'Stopped' | undefined {
  if (mark?.action !== 'Stop') return undefined;
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const since = ready?.lastTransitionTime === undefined ? NaN : new Date(ready.lastTransitionTime).getTime();
  return ready?.status === 'True' && since > Date.parse(mark.time) ? undefined : 'Stopped';
}
