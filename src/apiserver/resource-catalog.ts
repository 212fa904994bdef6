// The one description of what we serve. Discovery, OpenAPI and the RBAC docs are generated from it,
// so they cannot drift apart.
export interface SubresourceDescription {
  name: string;
  /** Kind of the object the subresource answers with. */
  kind: string;
  verbs: string[];
  description: string;
}

export interface ResourceDescription {
  name: string;
  singularName: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  verbs: string[];
  /** Names kubectl also accepts; none that core resources or widespread CRDs use (`no` is the core Node's). */
  shortNames: string[];
  /** Groups of resources kubectl expands (`kubectl get infraops`); never `all`, which would list every Node. */
  categories: string[];
  description: string;
  subresources: SubresourceDescription[];
}

/** `kubectl get infraops` lists our nodes and batches. */
const CATEGORIES = ['infraops'];

export const VERSION = 'v1';

export const RESOURCES: ResourceDescription[] = [
  {
    name: 'nodes',
    singularName: 'node',
    kind: 'Node',
    listKind: 'NodeList',
    namespaced: false,
    verbs: ['get', 'list', 'watch'],
    shortNames: ['cnode', 'cnodes'],
    categories: CATEGORIES,
    description:
      'A cluster Node as seen by its cloud: the VM behind it, where it runs, and whether it is Ready.',
    subresources: [
      {
        name: 'restart',
        kind: 'NodeRestart',
        verbs: ['create', 'delete', 'get'],
        description:
          'Restarts the cloud VM behind the Node (create), follows its latest restart (get), and cancels it while the cloud has not been asked to reboot (delete).',
      },
      {
        name: 'reset',
        kind: 'NodeRestart',
        verbs: ['create'],
        description:
          'Resets the cloud VM behind the Node at once, as by a power cycle: a restart in mode Hard (create).',
      },
      {
        name: 'stop',
        kind: 'NodePowerAction',
        verbs: ['create'],
        description: 'Stops (powers off) the cloud VM behind the Node, keeping its disks (create).',
      },
      {
        name: 'start',
        kind: 'NodePowerAction',
        verbs: ['create'],
        description: 'Starts the stopped cloud VM behind the Node (create).',
      },
    ],
  },
  {
    name: 'restartbatches',
    singularName: 'restartbatch',
    kind: 'RestartBatch',
    listKind: 'RestartBatchList',
    namespaced: false,
    // patch: a merge patch that may change nothing but the (server's) status; kubectl looks for fieldValidation on
    // the PATCH operation of a kind before it validates on the server.
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'watch'],
    shortNames: ['rbatch', 'rbatches'],
    categories: CATEGORIES,
    description:
      'Restarts the Nodes a label selector matches, at most maxUnavailable at a time; creating one also needs create on nodes/restart for those Nodes. Deleting one stops it from starting more.',
    subresources: [],
  },
  {
    name: 'noderepairpolicies',
    singularName: 'noderepairpolicy',
    kind: 'NodeRepairPolicy',
    listKind: 'NodeRepairPolicyList',
    namespaced: false,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['nrp'],
    categories: CATEGORIES,
    description:
      'Restarts the Nodes a label selector matches when one stays NotReady longer than notReadyTimeout, unless more than maxUnhealthy are down, at most maxRepairsPerHour times a Node; each repair is a restart by the server, naming the policy.',
    subresources: [],
  },
];
