import { isActionAllowed, type KeySpec } from '../common/credentials.js';
import { tencentErrors } from './tencent-errors.js';
import type { CvmInstanceSnapshot, CvmInstanceStore, CvmOperation } from './tencent-instances.js';
import {
  booleanParam,
  enumParam,
  filtersParam,
  instanceIdsParam,
  integerParam,
  rejectUnknownParams,
  type Filter,
  type Params,
} from './tencent-params.js';
import { regionInfo, type ZoneInfo } from './tencent-zones.js';

export interface ActionContext {
  action: string;
  params: Params;
  region: string;
  requestId: string;
  key: KeySpec;
  store: CvmInstanceStore;
  zones: readonly ZoneInfo[];
  regions: readonly string[];
}

interface ActionHandler {
  params: readonly string[];
  run(ctx: ActionContext): Record<string, unknown>;
}

const INSTANCE_ID = /^ins-[a-z0-9]{8}$/;
const STOP_TYPES = ['SOFT', 'HARD', 'SOFT_FIRST'] as const;

/**
 * Checks the whole batch before changing anything: malformed ids, then unknown ids (in the call's region),
 * then the first instance not in the state the operation needs.
 */
function operate(
  ctx: ActionContext,
  operation: CvmOperation,
  stopOptions?: { stopType?: string; stoppedMode?: string },
): void {
  const ids = instanceIdsParam(ctx.params, true)!;
  const instances = ctx.store.resolveAll(ctx.region, ids, INSTANCE_ID, tencentErrors);
  for (const instance of instances) {
    const refused = instance.refusedState(operation);
    if (refused !== undefined) throw tencentErrors.wrongState(instance.instanceId, refused);
  }
  for (const instance of instances) instance.apply(operation, ctx.requestId, stopOptions);
}

/** The deprecated Force* flag and StopType are mutually exclusive; the flag maps to HARD. */
function stopType(ctx: ActionContext, forceFlag: string): string {
  const type = enumParam(ctx.params, 'StopType', STOP_TYPES);
  const force = booleanParam(ctx.params, forceFlag);
  if (type !== undefined && force !== undefined) {
    throw tencentErrors.invalidParameterCombination(
      `\`${forceFlag}\` and \`StopType\` cannot be specified at the same time.`,
    );
  }
  return type ?? (force ? 'HARD' : 'SOFT');
}

function fieldValues(i: CvmInstanceSnapshot, name: string): string[] | undefined {
  if (name.startsWith('tag:')) {
    const key = name.slice(4);
    return key in i.tags ? [i.tags[key]!] : [];
  }
  const fields: Record<string, string[]> = {
    zone: [i.zone],
    'instance-id': [i.instanceId],
    'instance-state': [i.state],
    'instance-name': [i.instanceName],
    'private-ip-address': [i.privateIpAddress],
    'tag-key': Object.keys(i.tags),
    'tag-value': Object.values(i.tags),
  };
  return fields[name];
}

/** Filters are ANDed, values within one filter ORed. */
function matchesFilters(i: CvmInstanceSnapshot, filters: Filter[]): boolean {
  return filters.every((f) => {
    const values = fieldValues(i, f.Name);
    if (values === undefined) throw tencentErrors.invalidFilter(f.Name);
    return values.some((v) => f.Values.includes(v));
  });
}

/** Unknown but well-formed ids are simply absent from Describe* results. */
function describedInstances(ctx: ActionContext, ids: string[] | undefined): CvmInstanceSnapshot[] {
  const malformed = ids?.find((id) => !INSTANCE_ID.test(id));
  if (malformed !== undefined) throw tencentErrors.malformed(malformed);
  return ctx.store
    .inRegion(ctx.region)
    .filter((i) => ids === undefined || ids.includes(i.instanceId))
    .map((i) => i.snapshot());
}

function page<T>(ctx: ActionContext, items: T[]): T[] {
  const offset = integerParam(ctx.params, 'Offset', 0, Number.MAX_SAFE_INTEGER);
  const limit = integerParam(ctx.params, 'Limit', 20, 100);
  return items.slice(offset, offset + limit);
}

function instanceJson(i: CvmInstanceSnapshot): Record<string, unknown> {
  return {
    Placement: { Zone: i.zone, ProjectId: 0, HostId: null },
    InstanceId: i.instanceId,
    InstanceType: i.instanceType,
    CPU: 2,
    Memory: 4,
    RestrictState: 'NORMAL',
    InstanceName: i.instanceName,
    InstanceChargeType: 'POSTPAID_BY_HOUR',
    PrivateIpAddresses: [i.privateIpAddress],
    PublicIpAddresses: null,
    IPv6Addresses: null,
    VirtualPrivateCloud: {
      VpcId: 'vpc-emulator',
      SubnetId: 'subnet-emulator',
      AsVpcGateway: false,
      PrivateIpAddresses: [i.privateIpAddress],
    },
    ImageId: 'img-emulator',
    OsName: 'TencentOS Server 3.1',
    CreatedTime: i.createdTime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ExpiredTime: null,
    InstanceState: i.state,
    Tags: Object.entries(i.tags).map(([Key, Value]) => ({ Key, Value })),
    StopChargingMode: 'NOT_APPLICABLE',
    Uuid: i.uuid,
    LatestOperation: i.latestOperation ?? null,
    LatestOperationState: i.latestOperationState ?? null,
    LatestOperationRequestId: i.latestOperationRequestId ?? null,
    LatestOperationErrorMsg: null,
    DisableApiTermination: false,
    IsolatedSource: 'NOTISOLATED',
  };
}

const HANDLERS: Record<string, ActionHandler> = {
  RebootInstances: {
    params: ['InstanceIds', 'StopType', 'ForceReboot'],
    run: (ctx) => {
      operate(ctx, 'RebootInstances', { stopType: stopType(ctx, 'ForceReboot') });
      return {};
    },
  },

  StopInstances: {
    params: ['InstanceIds', 'StopType', 'ForceStop', 'StoppedMode'],
    run: (ctx) => {
      const stoppedMode =
        enumParam(ctx.params, 'StoppedMode', ['KEEP_CHARGING', 'STOP_CHARGING']) ?? 'KEEP_CHARGING';
      operate(ctx, 'StopInstances', { stopType: stopType(ctx, 'ForceStop'), stoppedMode });
      return {};
    },
  },

  StartInstances: {
    params: ['InstanceIds'],
    run: (ctx) => {
      operate(ctx, 'StartInstances');
      return {};
    },
  },

  DescribeInstances: {
    params: ['InstanceIds', 'Filters', 'Offset', 'Limit'],
    run: (ctx) => {
      const ids = instanceIdsParam(ctx.params, false);
      const filters = filtersParam(ctx.params);
      if (ids !== undefined && filters.length > 0) {
        throw tencentErrors.invalidParameter(
          '`InstanceIds` and `Filters` cannot be specified at the same time.',
        );
      }
      const matching = describedInstances(ctx, ids).filter((i) => matchesFilters(i, filters));
      return { TotalCount: matching.length, InstanceSet: page(ctx, matching).map(instanceJson) };
    },
  },

  DescribeInstancesStatus: {
    params: ['InstanceIds', 'Offset', 'Limit'],
    run: (ctx) => {
      const matching = describedInstances(ctx, instanceIdsParam(ctx.params, false));
      return {
        TotalCount: matching.length,
        InstanceStatusSet: page(ctx, matching).map((i) => ({
          InstanceId: i.instanceId,
          InstanceState: i.state,
        })),
      };
    },
  },

  DescribeZones: {
    params: [],
    run: (ctx) => {
      const zones = ctx.zones.filter(
        (z) => z.Zone.startsWith(`${ctx.region}-`) && /^\d+$/.test(z.Zone.slice(ctx.region.length + 1)),
      );
      return { TotalCount: zones.length, ZoneSet: zones };
    },
  },

  DescribeRegions: {
    params: [],
    run: (ctx) => ({ TotalCount: ctx.regions.length, RegionSet: ctx.regions.map(regionInfo) }),
  },
};

/** Actions that do not need X-TC-Region. */
export const REGIONLESS_ACTIONS: ReadonlySet<string> = new Set(['DescribeRegions']);

export function isKnownAction(action: string): boolean {
  return Object.hasOwn(HANDLERS, action);
}

/** CAM check, parameter names, then the action; returns the Response fields other than RequestId. */
export function runAction(ctx: ActionContext): Record<string, unknown> {
  if (!isActionAllowed(ctx.key, ctx.action)) throw tencentErrors.unauthorized(ctx.action, ctx.region);
  const handler = HANDLERS[ctx.action]!;
  rejectUnknownParams(ctx.params, handler.params);
  return handler.run(ctx);
}
