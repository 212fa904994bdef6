// How a restart moves on once the cloud accepted the reboot, judged only from what the Node reports:
// it came back when its bootID changed and Ready is True again — never after a fixed sleep.
import type { V1Node } from '@kubernetes/client-node';
import type { OperationPhase, RestartOperation } from '../operations/restart-operation.js';

export interface Transition {
  phase: OperationPhase;
  message: string;
}

const isReady = (node: V1Node) =>
  node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

function seconds(op: RestartOperation, now: number): number {
  return Math.round((now - Date.parse(op.startedAt)) / 1000);
}

/** The next phase of a running operation, or undefined while nothing has changed. */
export function nextTransition(
  op: RestartOperation,
  node: V1Node | undefined,
  now: number,
): Transition | undefined {
  const late = now > Date.parse(op.deadline);
  if (op.phase === 'Accepted' || op.phase === 'Cordoned' || op.phase === 'Draining') {
    // The request path, or the replicas draining, own these phases; past the deadline they are all gone.
    if (!late) return undefined;
    const unknown = op.phase === 'Accepted' || op.rebootingSince !== undefined;
    return {
      phase: 'Failed',
      message: unknown
        ? `the server handling restart ${op.id} stopped before recording the cloud's answer; whether the reboot was requested is unknown`
        : `no server carried on draining node ${op.node} before ${op.deadline}; nothing was restarted`,
    };
  }
  if (op.phase !== 'RebootRequested' && op.phase !== 'NotReady') return undefined;
  if (!node) return { phase: 'Failed', message: `node ${op.node} was deleted while restarting` };
  const bootID = node.status?.nodeInfo?.bootID;
  const ready = isReady(node);
  const newBoot = op.previousBootID ? !!bootID && bootID !== op.previousBootID : op.phase === 'NotReady';
  if (ready && newBoot) {
    return {
      // A restart that cordoned the node has it uncordoned before it succeeds.
      phase: op.cordoned ? 'Ready' : 'Succeeded',
      message: `node ${op.node} is Ready again with a new bootID ${seconds(op, now)}s after the restart was requested`,
    };
  }
  if (late) {
    const missing = ready ? 'Ready, but no new bootID' : 'not Ready';
    return {
      phase: 'Failed',
      message: `node ${op.node} did not come back (${missing}) by ${op.deadline}, ${seconds(op, now)}s after the restart was requested`,
    };
  }
  if (!ready && op.phase === 'RebootRequested') {
    return {
      phase: 'NotReady',
      message: `node ${op.node} went NotReady ${seconds(op, now)}s after the reboot was requested`,
    };
  }
  return undefined;
}
