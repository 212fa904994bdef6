// The restart feature's real classes — RestartService, RestartRunner, RestartFollower, BatchRunner (and the power
// actions' PowerService, which shares their lock) and what they
// build on — wired as RestartsModule wires them, on an in-memory cluster (Leases, Nodes, Pods, Events, reviews) and
// the simulated cloud. Nothing runs on a timer: a test moves the workflow on with `follower.kick()` and
// `batchRunner.kick()`, as the watches and the timer would.
import type {
  AuthorizationV1Api,
  V1SubjectAccessReview,
  V1SubjectAccessReviewSpec,
} from '@kubernetes/client-node';
import { Authorizer } from '../../../src/auth/authorizer.js';
import { cloudOptionsFromEnv } from '../../../src/cloud/registry/options.js';
import { CloudRegistry } from '../../../src/cloud/registry/cloud-registry.js';
import { SimulatedProvider } from '../../../src/cloud/simulated/simulated-provider.js';
import type { UserInfo } from '../../../src/apiserver/request-context.js';
import type { ServerOptions } from '../../../src/config/server-options.js';
import type { NodeCache } from '../../../src/kube/node-cache.js';
import { PowerService } from '../../../src/nodes/power/power.service.js';
import { BatchRunner } from '../../../src/restarts/batches/batch-runner.js';
import { BatchStore } from '../../../src/restarts/batches/batch-store.js';
import { RestartBatchService } from '../../../src/restarts/batches/restart-batch.service.js';
import { NodeDrain } from '../../../src/restarts/drain/node-drain.js';
import { OperationStore } from '../../../src/restarts/operations/operation-store.js';
import { RestartBudget } from '../../../src/restarts/operations/restart-budget.js';
import { NodeWorkloads } from '../../../src/restarts/request/node-workloads.js';
import { RestartProtections } from '../../../src/restarts/request/restart-protections.js';
import { RestartService } from '../../../src/restarts/request/restart.service.js';
import { RestartFollower } from '../../../src/restarts/workflow/restart-follower.js';
import { RestartRunner } from '../../../src/restarts/workflow/restart-runner.js';
import { Revisions } from './api-errors.js';
import { InMemoryLeases } from './in-memory-leases.js';
import { InMemoryNodes } from './in-memory-nodes.js';
import { InMemoryPods } from './in-memory-pods.js';
import { RecordedEvents } from './recorded-events.js';

export const GROUP = 'infraops.michael.io';

/** An administrator: system:masters needs no SubjectAccessReview. */
export const ADMIN: UserInfo = { name: 'admin', groups: ['system:masters'] };

/** kube-apiserver's SubjectAccessReview endpoint: the reviews it was sent, answered by `allows`. */
export class InMemoryReviews {
  readonly sent: V1SubjectAccessReviewSpec[] = [];
  allows: (spec: V1SubjectAccessReviewSpec) => boolean = () => true;

  async createSubjectAccessReview({ body }: { body: V1SubjectAccessReview }): Promise<V1SubjectAccessReview> {
    this.sent.push(body.spec);
    return { ...body, status: { allowed: this.allows(body.spec) } };
  }
}

export type RestartSettings = Partial<
  Pick<
    ServerOptions,
    | 'restartTimeout'
    | 'maxConcurrentRestarts'
    | 'poolLabel'
    | 'maxConcurrentRestartsPerPool'
    | 'blockingPodSelector'
  >
>;

export function inMemoryRestarts(settings: RestartSettings = {}) {
  const options = {
    apiGroup: GROUP,
    operationsNamespace: 'k8s-cloud-node-manager',
    restartTimeout: 600_000,
    maxConcurrentRestarts: 0,
    poolLabel: '',
    maxConcurrentRestartsPerPool: 0,
    blockingPodSelector: '',
    authorizationAlwaysAllowPaths: [],
    authorizationWebhookCacheAuthorizedTtl: 10_000,
    authorizationWebhookCacheUnauthorizedTtl: 10_000,
    ...settings,
  } as unknown as ServerOptions;
  const revisions = new Revisions();
  const leases = new InMemoryLeases(options.operationsNamespace, revisions);
  const nodes = new InMemoryNodes(revisions);
  const pods = new InMemoryPods();
  const events = new RecordedEvents();
  const reviews = new InMemoryReviews();
  // The simulated cloud follows the clock the test may move.
  const cloud = new SimulatedProvider({ now: () => Date.now() });
  // Stops wait for this before they reach the cloud: a test holds it to keep a stop's call under way (as a call
  // waiting for the cloud's rate limiter is). Set before the registry takes the provider's methods.
  let stopsWait = Promise.resolve();
  const stop = cloud.stop.bind(cloud);
  cloud.stop = async (...args) => {
    await stopsWait;
    return stop(...args);
  };
  const clouds = new CloudRegistry(
    [cloud],
    cloudOptionsFromEnv({ SIMULATED_CLOUD: 'true' }, () => false),
  );
  // Reboots wait for this before the cloud pacing lets them go: a test holds it to keep a reboot waiting for its
  // turn, as one does behind the cloud's rate limit.
  let rebootsWait = Promise.resolve();
  const paced = clouds.get('simulated');
  const pacedReboot = paced.reboot.bind(paced);
  paced.reboot = async (target, rebootOptions) => {
    if (!rebootOptions.dryRun) await rebootsWait;
    return pacedReboot(target, rebootOptions);
  };
  const authorizer = new Authorizer(options, reviews as unknown as AuthorizationV1Api);

  const store = new OperationStore(leases, options);
  const budget = new RestartBudget(leases, store, options);
  const drain = new NodeDrain(nodes, pods);
  const runner = new RestartRunner(store, nodes, clouds, drain, events, options, nodes);
  const follower = new RestartFollower(store, nodes, runner);
  const protections = new RestartProtections(authorizer, options);
  const workloads = new NodeWorkloads(pods, options);
  const service = new RestartService(
    nodes,
    clouds,
    store,
    budget,
    events,
    protections,
    runner,
    drain,
    workloads,
    options,
  );
  const power = new PowerService(
    nodes as unknown as NodeCache,
    clouds,
    store,
    events,
    protections,
    workloads,
    options,
    nodes,
  );
  const batches = new BatchStore(leases, options);
  const batchRunner = new BatchRunner(batches, store, service, nodes, events);
  const batchService = new RestartBatchService(nodes, authorizer, batches, batchRunner, options);
  // The watches start as they do at bootstrap; the follower's and the batch runner's timers do not.
  store.onApplicationBootstrap();
  batches.onApplicationBootstrap();

  return {
    options,
    leases,
    nodes,
    pods,
    events,
    reviews,
    cloud,
    store,
    follower,
    service,
    power,
    batches,
    batchRunner,
    batchService,
    /** Holds every stop before the cloud until the function returned is called. */
    holdStops(): () => void {
      let release!: () => void;
      stopsWait = new Promise<void>((resolve) => (release = resolve));
      return release;
    },
    /** Holds every reboot waiting for its turn at the cloud until the function returned is called. */
    holdReboots(): () => void {
      let release!: () => void;
      rebootsWait = new Promise<void>((resolve) => (release = resolve));
      return release;
    },
    /** The reboots the cloud was asked for, of the node's instance. */
    reboots: (node: string) => cloud.instance(`sim-${node}`)?.rebootCount ?? 0,
  };
}
