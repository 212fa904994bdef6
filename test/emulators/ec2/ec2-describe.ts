import { ec2Errors } from './ec2-errors.js';
import type { Ec2InstanceSnapshot } from './ec2-instances.js';
import { stringParam, type Filter, type FormParams } from './query-form.js';

type Field = (instance: Ec2InstanceSnapshot) => string[];

const FILTER_FIELDS: Record<string, Field> = {
  'instance-id': (i) => [i.instanceId],
  'instance-state-name': (i) => [i.state],
  'instance-state-code': (i) => [String(i.stateCode)],
  'instance-type': (i) => [i.instanceType],
  'availability-zone': (i) => [i.availabilityZone],
  'private-dns-name': (i) => [i.privateDnsName],
  'private-ip-address': (i) => [i.privateIpAddress],
  'tag-key': (i) => Object.keys(i.tags),
};

function fieldFor(name: string): Field {
  if (name.startsWith('tag:')) {
    const key = name.slice(4);
    return (i) => (key in i.tags ? [i.tags[key]!] : []);
  }
  const field = FILTER_FIELDS[name];
  if (!field) throw ec2Errors.invalidParameterValue(`The filter '${name}' is invalid`);
  return field;
}

/** EC2 filter values accept * and ? wildcards. */
function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(value);
}

/** Filters are ANDed; the values of one filter are ORed. */
export function applyFilters(instances: Ec2InstanceSnapshot[], filters: Filter[]): Ec2InstanceSnapshot[] {
  const checks = filters.map((f) => ({ field: fieldFor(f.name), values: f.values }));
  return instances.filter((i) =>
    checks.every(({ field, values }) => field(i).some((v) => values.some((p) => globMatches(p, v)))),
  );
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** MaxResults/NextToken paging; a token is just the next offset. MaxResults cannot be used with explicit ids. */
export function paginate<T>(items: T[], params: FormParams, explicitIds: boolean): Page<T> {
  const maxText = stringParam(params, 'MaxResults');
  const token = stringParam(params, 'NextToken');
  if (maxText === undefined && token === undefined) return { items };
  if (explicitIds && maxText !== undefined) {
    throw ec2Errors.invalidParameterCombination(
      'The parameter instancesSet cannot be used with the parameter maxResults',
    );
  }
  const max = maxText === undefined ? 1000 : Number(maxText);
  if (!Number.isInteger(max) || max < 5 || max > 1000) {
    throw ec2Errors.invalidParameterValue(
      `Value ( ${maxText} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`,
    );
  }
  const offset = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0)
    throw ec2Errors.invalidParameterValue(`Invalid value '${token}' for nextToken`);
  const end = offset + max;
  return {
    items: items.slice(offset, end),
    ...(end < items.length && { nextToken: Buffer.from(String(end)).toString('base64url') }),
  };
}

/** Instance and system status checks as DescribeInstanceStatus reports them for a given state. */
export function statusCheck(instance: Ec2InstanceSnapshot): 'ok' | 'initializing' | 'not-applicable' {
  return instance.state === 'running'
    ? 'ok'
    : instance.state === 'pending'
      ? 'initializing'
      : 'not-applicable';
}
