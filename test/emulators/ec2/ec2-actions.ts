import { isActionAllowed, type KeySpec } from '../common/credentials.js';
import { ec2Errors } from './ec2-errors.js';
import { applyFilters, paginate, statusCheck } from './ec2-describe.js';
import {
  EC2_STATE_CODES,
  type Ec2Instance,
  type Ec2InstanceSnapshot,
  type Ec2InstanceStore,
  type Ec2Operation,
  type StateChange,
} from './ec2-instances.js';
import { booleanParam, filterParams, stringList, type FormParams } from './query-form.js';
import { element, itemSet, optionalText, text, type Xml } from './xml.js';

export interface ActionContext {
  action: string;
  params: FormParams;
  region: string;
  key: KeySpec;
  store: Ec2InstanceStore;
}

type ActionHandler = (ctx: ActionContext) => (Xml | undefined)[];

const INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const MUTATING = new Set(['RebootInstances', 'StopInstances', 'StartInstances']);

function resolveInstances(ctx: ActionContext, ids: string[]): Ec2Instance[] {
  return ctx.store.resolveAll(ctx.region, ids, INSTANCE_ID, ec2Errors);
}

function requiredIds(ctx: ActionContext): string[] {
  const ids = stringList(ctx.params, 'InstanceId');
  if (ids.length === 0) throw ec2Errors.missingParameter('InstanceId');
  return ids;
}

function stateXml(name: string, state: keyof typeof EC2_STATE_CODES): Xml {
  return element(name, text('code', EC2_STATE_CODES[state]), text('name', state));
}

function stateChangesXml(changes: StateChange[]): Xml {
  return itemSet('instancesSet', changes, (c) => [
    text('instanceId', c.instanceId),
    stateXml('currentState', c.current),
    stateXml('previousState', c.previous),
  ]);
}

/** Checks the whole batch before touching any instance: one refused instance fails the call. */
function operate(ctx: ActionContext, operation: Ec2Operation): StateChange[] {
  const instances = resolveInstances(ctx, requiredIds(ctx));
  const refused = instances.map((i) => i.refusal(operation)).find((e) => e !== undefined);
  if (refused) throw refused;
  return instances.map((i) => i.apply(operation));
}

function instanceXml(i: Ec2InstanceSnapshot): Xml[] {
  return [
    text('instanceId', i.instanceId),
    text('imageId', 'ami-0abcdef1234567890'),
    stateXml('instanceState', i.state),
    text('privateDnsName', i.privateDnsName),
    text('instanceType', i.instanceType),
    text('launchTime', i.launchTime.toISOString()),
    element('placement', text('availabilityZone', i.availabilityZone), text('tenancy', 'default')),
    text('privateIpAddress', i.privateIpAddress),
    itemSet('tagSet', Object.entries(i.tags), ([key, value]) => [text('key', key), text('value', value)]),
  ];
}

const HANDLERS: Record<string, ActionHandler> = {
  RebootInstances: (ctx) => {
    operate(ctx, 'reboot');
    return [text('return', true)];
  },

  StopInstances: (ctx) => [stateChangesXml(operate(ctx, 'stop'))],

  StartInstances: (ctx) => [stateChangesXml(operate(ctx, 'start'))],

  DescribeInstances: (ctx) => {
    const ids = stringList(ctx.params, 'InstanceId');
    const candidates = ids.length > 0 ? resolveInstances(ctx, ids) : ctx.store.inRegion(ctx.region);
    const matching = applyFilters(
      candidates.map((i) => i.snapshot()),
      filterParams(ctx.params),
    );
    const page = paginate(matching, ctx.params, ids.length > 0);
    return [
      itemSet('reservationSet', page.items, (i) => [
        text('reservationId', `r-${i.instanceId.slice(2)}`),
        text('ownerId', '123456789012'),
        element('groupSet'),
        itemSet('instancesSet', [i], instanceXml),
      ]),
      optionalText('nextToken', page.nextToken),
    ];
  },

  DescribeInstanceStatus: (ctx) => {
    const ids = stringList(ctx.params, 'InstanceId');
    if (ids.length > 100) throw ec2Errors.invalidParameterValue('The maximum number of instance IDs is 100');
    const candidates = ids.length > 0 ? resolveInstances(ctx, ids) : ctx.store.inRegion(ctx.region);
    const includeAll = booleanParam(ctx.params, 'IncludeAllInstances');
    const visible = candidates.map((i) => i.snapshot()).filter((i) => includeAll || i.state === 'running');
    const page = paginate(applyFilters(visible, filterParams(ctx.params)), ctx.params, ids.length > 0);
    const check = (name: string, status: string) =>
      element(
        name,
        text('status', status),
        status === 'not-applicable'
          ? element('details')
          : itemSet('details', [status], (s) => [
              text('name', 'reachability'),
              text('status', s === 'ok' ? 'passed' : 'initializing'),
            ]),
      );
    return [
      itemSet('instanceStatusSet', page.items, (i) => [
        text('instanceId', i.instanceId),
        text('availabilityZone', i.availabilityZone),
        stateXml('instanceState', i.state),
        check('systemStatus', statusCheck(i)),
        check('instanceStatus', statusCheck(i)),
      ]),
      optionalText('nextToken', page.nextToken),
    ];
  },
};

export function isKnownAction(action: string): boolean {
  return Object.hasOwn(HANDLERS, action);
}

/**
 * Runs an action the way EC2 orders its checks: IAM permission, then DryRun, then the action itself.
 * Returns the children of the `<{Action}Response>` element; throws Ec2Error for failures.
 */
export function runAction(ctx: ActionContext): (Xml | undefined)[] {
  if (!isActionAllowed(ctx.key, ctx.action)) throw ec2Errors.unauthorized(MUTATING.has(ctx.action));
  if (booleanParam(ctx.params, 'DryRun')) throw ec2Errors.dryRun();
  return HANDLERS[ctx.action]!(ctx);
}
