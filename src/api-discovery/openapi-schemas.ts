// JSON schemas of our kinds, written once with `#/S/` refs; openapi.ts points the refs at
// `#/definitions/` (v2) or `#/components/schemas/` (v3).
import { VERSION } from '../apiserver/resource-catalog.js';
import { UPSTREAM_META_SCHEMAS } from './upstream-meta-schemas.js';

type Schema = Record<string, unknown>;

const str = (description: string, extra: Schema = {}): Schema => ({ type: 'string', description, ...extra });
const ref = (name: string): Schema => ({ $ref: `#/S/${name}` });

export function schemaNames(group: string) {
  const prefix = group.split('.').reverse().join('.');
  return {
    node: `${prefix}.${VERSION}.Node`,
    nodeList: `${prefix}.${VERSION}.NodeList`,
    nodeRestart: `${prefix}.${VERSION}.NodeRestart`,
    restartOptions: `${prefix}.${VERSION}.RestartOptions`,
    restartBatch: `${prefix}.${VERSION}.RestartBatch`,
    restartBatchList: `${prefix}.${VERSION}.RestartBatchList`,
    nodeRepairPolicy: `${prefix}.${VERSION}.NodeRepairPolicy`,
    nodeRepairPolicyList: `${prefix}.${VERSION}.NodeRepairPolicyList`,
    nodePowerAction: `${prefix}.${VERSION}.NodePowerAction`,
    stopOptions: `${prefix}.${VERSION}.StopOptions`,
    startOptions: `${prefix}.${VERSION}.StartOptions`,
    objectMeta: 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    listMeta: 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
    status: 'io.k8s.apimachinery.pkg.apis.meta.v1.Status',
  };
}

export function buildSchemas(group: string): Record<string, Schema> {
  const n = schemaNames(group);
  const gvk = (kind: string) => ({ 'x-kubernetes-group-version-kind': [{ group, kind, version: VERSION }] });
  const typeMeta = {
    apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
    kind: str('Kind is a string value representing the REST resource this object represents.'),
  };
  const actionOptions = {
    metadata: {
      ...ref(n.objectMeta),
      description:
        "Optional; client-go's dynamic client sends the object's. A name, when given, must be the Node's.",
    },
    dryRun: {
      type: 'array',
      items: { type: 'string' },
      description:
        'When ["All"], everything is checked (including what the cloud can check) but nothing changes.',
    },
    reason: str('Why; recorded in logs and events.'),
    allowControlPlane: {
      type: 'boolean',
      description:
        'Required to act on a control-plane node; the caller also needs create on nodes/restart-control-plane.',
    },
  };
  const instance = {
    cloud: str('Cloud of the VM.'),
    region: str('Region of the VM.'),
    zone: str('Zone of the VM.'),
    instanceID: str('Instance id of the VM.'),
  };
  const checks = {
    type: 'array',
    description: 'What a dry run verified.',
    items: {
      type: 'object',
      properties: { name: str('The check.'), detail: str('What it found.') },
    },
  };
  return {
    [n.node]: {
      type: 'object',
      description:
        'A cluster Node as seen by its cloud: the VM behind it, where it runs, and whether it is Ready.',
      properties: {
        ...typeMeta,
        metadata: ref(n.objectMeta),
        spec: {
          type: 'object',
          description: 'What identifies the VM behind the Node.',
          properties: { providerID: str("The Node's spec.providerID, naming the cloud, zone and instance.") },
        },
        status: {
          type: 'object',
          description: 'The cloud identity derived from the providerID, and the Node state.',
          properties: {
            cloud: str(
              'The cloud the VM runs in (aws, tencent, simulated), when the providerID names a supported one.',
            ),
            region: str('Region of the VM.'),
            zone: str('Availability zone of the VM.'),
            instanceID: str('Instance id of the VM at its cloud.'),
            restartable: { type: 'boolean', description: 'Whether this server can restart the VM.' },
            message: str('Why the VM cannot be restarted, when it cannot.'),
            ready: str('The Node Ready condition: True, False or Unknown.'),
            bootID: str("The Node's status.nodeInfo.bootID; it changes when the machine boots again."),
            restart: {
              type: 'object',
              description: 'The latest restart of the Node: operationID, phase and when it was reached.',
              properties: {
                operationID: str('Id of the restart operation.'),
                phase: str('Its phase, as GET nodes/NAME/restart reports it.'),
                time: str('When the phase was reached.', { format: 'date-time' }),
              },
            },
            powerState: str(
              'Stopped when the last power action through this API stopped the VM and the Node has not been Ready since.',
            ),
            lastPowerAction: {
              type: 'object',
              description: 'The last stop or start through this API, as recorded on the Node.',
              properties: {
                action: str('Stop or Start.'),
                mode: str('The stop mode.'),
                requestID: str("The cloud's request id."),
                requestedBy: str('The user who asked.'),
                time: str('When the cloud accepted it.', { format: 'date-time' }),
              },
            },
            addresses: {
              type: 'array',
              description: 'Addresses of the Node.',
              items: {
                type: 'object',
                properties: { type: str('Address type.'), address: str('The address.') },
              },
            },
          },
        },
      },
      ...gvk('Node'),
    },
    [n.nodeList]: {
      type: 'object',
      description: 'A list of Nodes.',
      required: ['items'],
      properties: { ...typeMeta, metadata: ref(n.listMeta), items: { type: 'array', items: ref(n.node) } },
      ...gvk('NodeList'),
    },
    [n.restartOptions]: {
      type: 'object',
      description: 'Options of a restart. Every field is optional.',
      properties: {
        ...typeMeta,
        ...actionOptions,
        mode: str(
          'Soft (graceful), Hard (reset; needs create on nodes/reset too), or SoftFirst (graceful, then reset). Default: the graceful mode of the cloud.',
          { enum: ['Soft', 'Hard', 'SoftFirst'] },
        ),
        drain: {
          type: 'object',
          description:
            'Cordon the node and evict its pods through the Eviction API (PodDisruptionBudgets hold; DaemonSet and mirror pods stay) before the reboot; the cordon is lifted when the node is back.',
          properties: {
            gracePeriodSeconds: {
              type: 'integer',
              format: 'int64',
              description: "Grace period given to each evicted pod; absent or -1: the pod's own.",
            },
            timeoutSeconds: {
              type: 'integer',
              format: 'int64',
              description: 'How long the pods may take to leave (default 300).',
            },
            onTimeout: str(
              'When the drain runs out of time: Fail (uncordon, restart nothing; the default) or Proceed (reboot anyway).',
              { enum: ['Fail', 'Proceed'] },
            ),
          },
        },
      },
      ...gvk('RestartOptions'),
    },
    [n.stopOptions]: {
      type: 'object',
      description: 'Options of a stop. Every field is optional.',
      properties: {
        ...typeMeta,
        ...actionOptions,
        mode: str(
          'Soft (OS shutdown), Hard (power off at once), or SoftFirst (OS shutdown, then power off). Default: SoftFirst.',
          { enum: ['Soft', 'Hard', 'SoftFirst'] },
        ),
      },
      ...gvk('StopOptions'),
    },
    [n.startOptions]: {
      type: 'object',
      description: 'Options of a start. Every field is optional.',
      properties: { ...typeMeta, ...actionOptions },
      ...gvk('StartOptions'),
    },
    [n.nodePowerAction]: {
      type: 'object',
      description: 'The outcome of a stop or start request.',
      properties: {
        ...typeMeta,
        metadata: ref(n.objectMeta),
        spec: {
          type: 'object',
          properties: {
            action: str('Stop or Start.'),
            dryRun: { type: 'array', items: { type: 'string' }, description: '["All"] for a dry run.' },
            mode: str('The stop mode.'),
            reason: str('Why, as the caller said.'),
          },
        },
        status: {
          type: 'object',
          properties: {
            dryRun: { type: 'boolean', description: 'True when nothing was changed.' },
            ...instance,
            requestID: str("The cloud's request id for the call."),
            requestedBy: str('The user who asked.'),
            checks,
            message: str('What happened.'),
          },
        },
      },
      ...gvk('NodePowerAction'),
    },
    [n.nodeRestart]: {
      type: 'object',
      description: 'The outcome of a restart request.',
      properties: {
        ...typeMeta,
        metadata: ref(n.objectMeta),
        spec: ref(n.restartOptions),
        status: {
          type: 'object',
          properties: {
            operationID: str('Id of the restart operation.'),
            phase: str(
              'Accepted, Cordoned, Draining, RebootRequested (the cloud accepted the reboot), NotReady, Ready (back with a new bootID), Uncordoned, Succeeded, Failed, Cancelled (cancelled before the cloud was asked); DryRun when nothing was restarted.',
            ),
            startedAt: str('When the restart was requested.', { format: 'date-time' }),
            updatedAt: str('When the phase last changed.', { format: 'date-time' }),
            deadline: str('When the restart fails if the node is not back.', { format: 'date-time' }),
            dryRun: { type: 'boolean', description: 'True when nothing was restarted.' },
            ...instance,
            mode: str('The restart mode applied.'),
            requestID: str("The cloud's request id for the call."),
            previousBootID: str("The Node's bootID when the restart was requested."),
            requestedBy: str('The user who asked.'),
            cordoned: { type: 'boolean', description: 'This restart cordoned the node, and uncordons it.' },
            drain: {
              type: 'object',
              description: 'The drain options in force, and until when the drain may run (deadline).',
              additionalProperties: true,
            },
            checks,
            message: str('What happened.'),
          },
        },
      },
      ...gvk('NodeRestart'),
    },
    [n.restartBatch]: {
      type: 'object',
      description: 'Restarts of the Nodes a label selector matched, at most maxUnavailable at a time.',
      properties: {
        ...typeMeta,
        metadata: ref(n.objectMeta),
        spec: {
          type: 'object',
          required: ['labelSelector'],
          properties: {
            labelSelector: str(
              'The Nodes to restart, as a label selector (e.g. pool=batch), matched at creation.',
            ),
            maxUnavailable: {
              type: 'integer',
              format: 'int32',
              description:
                'How many of them may be unavailable at once: restarting, or not Ready for any reason (default 1).',
            },
            maxFailures: {
              type: 'integer',
              format: 'int32',
              description: 'How many failed nodes the batch tolerates; one more halts it (default 0).',
            },
            maintenanceWindow: {
              type: 'object',
              description: 'When the batch may start nodes; always when absent.',
              required: ['startTime', 'endTime'],
              properties: {
                days: {
                  type: 'array',
                  items: { type: 'string' },
                  description: 'sun, mon, tue, wed, thu, fri, sat (default every day).',
                },
                startTime: str('HH:MM, 24-hour.'),
                endTime: str('HH:MM, 24-hour; before startTime, the window runs over midnight.'),
                timeZone: str('An IANA time zone (default UTC).'),
              },
            },
            options: ref(n.restartOptions),
            suspend: {
              type: 'boolean',
              description:
                'true stops the batch from starting more nodes (the restarts it started go on); false lets it go ' +
                'on. The one field a patch may change (default false).',
            },
          },
        },
        status: {
          type: 'object',
          properties: {
            phase: str('Running, Succeeded (every node did), or Failed (some did not).'),
            conditions: {
              type: 'array',
              description: 'Suspended: True while spec.suspend is true, False once resumed.',
              items: {
                type: 'object',
                required: ['type', 'status', 'reason', 'message', 'lastTransitionTime'],
                properties: {
                  type: str('Suspended.'),
                  status: str('True or False.'),
                  reason: str('Suspended or Resumed.'),
                  message: str('Who suspended or resumed the batch.'),
                  lastTransitionTime: str('When.', { format: 'date-time' }),
                },
              },
            },
            message: str('Counts of the nodes by phase.'),
            halted: str(
              'Why the batch starts no more nodes, once it has stopped (failures, or its deletion).',
            ),
            requestedBy: str('The user who created the batch; each restart is checked as theirs.'),
            startedAt: str('When the batch was created.', { format: 'date-time' }),
            updatedAt: str('When it last changed.', { format: 'date-time' }),
            nodes: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  name: str('The Node.'),
                  phase: str('Pending, Restarting, Succeeded or Failed.'),
                  operationID: str('Its restart operation (GET nodes/NAME/restart).'),
                  message: str('How its restart went, or why it did not start.'),
                },
              },
            },
          },
        },
      },
      ...gvk('RestartBatch'),
    },
    [n.restartBatchList]: {
      type: 'object',
      properties: {
        ...typeMeta,
        metadata: ref(n.listMeta),
        items: { type: 'array', items: ref(n.restartBatch) },
      },
      ...gvk('RestartBatchList'),
    },
    [n.nodeRepairPolicy]: {
      type: 'object',
      description:
        'Restarts the Nodes a label selector matches when one stays NotReady longer than notReadyTimeout, as the server, naming the policy.',
      properties: {
        ...typeMeta,
        metadata: ref(n.objectMeta),
        spec: {
          type: 'object',
          required: ['nodeSelector'],
          properties: {
            nodeSelector: str(
              'The Nodes to watch, as a label selector (e.g. node-role.kubernetes.io/worker).',
            ),
            notReadyTimeout: str(
              'How long a Node is NotReady or Unknown before it is restarted, a duration (default 10m; at least --repair-min-not-ready-timeout, 3m by default).',
            ),
            maxUnhealthy: {
              'x-kubernetes-int-or-string': true,
              description:
                'A count, or a percentage of the selected Nodes (rounded down): with more of them NotReady, nothing is repaired (default 40%).',
            },
            maxRepairsPerHour: {
              type: 'integer',
              format: 'int32',
              description: 'Repairs of one Node within an hour; then it is given up on (default 3).',
            },
            mode: str('Repair (default), or DryRun: only record what would be repaired.'),
            options: ref(n.restartOptions),
          },
        },
        status: {
          type: 'object',
          description:
            'The Nodes watched and NotReady, each Node repaired, given up on or skipped and why, and the MaxUnhealthyExceeded and NeedsAttention conditions.',
          'x-kubernetes-preserve-unknown-fields': true,
        },
      },
      ...gvk('NodeRepairPolicy'),
    },
    [n.nodeRepairPolicyList]: {
      type: 'object',
      properties: {
        ...typeMeta,
        metadata: ref(n.listMeta),
        items: { type: 'array', items: ref(n.nodeRepairPolicy) },
      },
      ...gvk('NodeRepairPolicyList'),
    },
    ...UPSTREAM_META_SCHEMAS,
  };
}
