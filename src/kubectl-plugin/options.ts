// Command line of `kubectl restart`. kubectl hands a plugin every argument after its name unchanged (global flags
// before the name are refused by kubectl), so the plugin parses kubectl's connection flags itself.
import { parseArgs } from 'node:util';
import { parseDuration } from '../config/duration.js';
import {
  CONNECTION_FLAG_SPECS,
  CONNECTION_USAGE,
  ConnectionFlagError,
  connectionFlags,
  type ConnectionFlags,
} from './connection-flags.js';

export const MODES = ['SoftFirst', 'Soft', 'Hard'] as const;
export type Mode = (typeof MODES)[number];
export const OUTPUTS = ['json', 'yaml', 'name'] as const;
export type Output = (typeof OUTPUTS)[number];
export const ON_DRAIN_TIMEOUT = ['Fail', 'Proceed'] as const;

/** RestartOptions.drain as sent: fields left out take the server's defaults. */
export interface Drain {
  gracePeriodSeconds?: number;
  timeoutSeconds?: number;
  onTimeout?: (typeof ON_DRAIN_TIMEOUT)[number];
}

export interface Options {
  names: string[];
  selector?: string;
  /** Set: restart the selected nodes as one RestartBatch, at most this many at a time. */
  maxUnavailable?: number;
  /** With maxUnavailable: failed nodes the batch tolerates before it starts no more (the server's default: 0). */
  maxFailures?: number;
  dryRun: boolean;
  mode?: Mode;
  reason?: string;
  drain?: Drain;
  /** Restart control-plane nodes too (the server also wants create on nodes/restart-control-plane). */
  allowControlPlane: boolean;
  wait: boolean;
  timeoutMs: number;
  output?: Output;
  connection: ConnectionFlags;
  help: boolean;
}

/** -l with --max-unavailable: the nodes are restarted as one RestartBatch. */
export type BatchOptions = Options & { selector: string; maxUnavailable: number };
export const isBatch = (options: Options): options is BatchOptions =>
  options.selector !== undefined && options.maxUnavailable !== undefined;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Restart the cloud VM behind one or more nodes, through the infraops.michael.io API of the cluster.

Examples:
  kubectl restart node-1
  kubectl restart node node-1 node-2 --wait
  kubectl restart -l node.kubernetes.io/instance-type=m5.large --dry-run=server
  kubectl restart -l pool=batch --max-unavailable=2 --drain --wait
  kubectl restart node-1 --mode=Hard --reason="kernel hang" --wait --timeout=15m -o yaml
  kubectl restart node-1 --drain --drain-timeout=10m --on-drain-timeout=Proceed --wait

Options:
  -l, --selector=''             Label selector: restart every node matching it
      --max-unavailable=''      With -l: one RestartBatch; the server restarts at most this many nodes at a time
      --max-failures=0          With --max-unavailable: failed nodes the batch tolerates; one more halts it
      --dry-run=none            "server": ask the server what a restart would do, and restart nothing
      --mode=''                 SoftFirst (the cloud default), Soft or Hard
      --reason=''               Why; recorded with the request
      --drain=false             Cordon the node and evict its pods (as kubectl drain) first; uncordon it after
      --grace-period=-1         With --drain: seconds each pod has to stop; -1 takes the pod's own
      --drain-timeout=5m        With --drain: how long the drain may take (a Go duration, whole seconds)
      --on-drain-timeout=Fail   With --drain: Fail (uncordon, restart nothing) or Proceed (reboot anyway)
      --allow-control-plane     Restart control-plane nodes too (needs create on nodes/restart-control-plane)
      --wait=false              Follow each restart (or the batch) until it Succeeded or Failed
      --timeout=10m             How long --wait waits (a Go duration: 90s, 10m, 1h)
  -o, --output=''               json, yaml or name
  -h, --help                    This help

${CONNECTION_USAGE}

Exit status: 0 every node done, 1 some failed, 2 usage error.

Usage:
  kubectl restart [node] NAME... [options]
  kubectl restart -l SELECTOR [--max-unavailable=N] [options]`;

const RESOURCE_WORDS = new Set([
  'node',
  'nodes',
  'no',
  'node.infraops.michael.io',
  'nodes.infraops.michael.io',
]);

function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  const match = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (match === undefined) {
    throw new UsageError(`invalid ${flag} "${value}": must be one of ${allowed.join(', ')}`);
  }
  return match;
}

/** Names from `NAME…`, `node NAME…` and `node/NAME`. */
function targetNames(positionals: string[], hasSelector: boolean): string[] {
  const words = [...positionals];
  if (words.length > 0 && RESOURCE_WORDS.has(words[0]!) && (words.length > 1 || hasSelector)) words.shift();
  return words.map((word) => {
    const slash = word.indexOf('/');
    if (slash < 0) return word;
    const type = word.slice(0, slash);
    if (!RESOURCE_WORDS.has(type))
      throw new UsageError(`"${type}" is not a node resource: only nodes restart`);
    return word.slice(slash + 1);
  });
}

/** --drain and the flags that tune it, which mean nothing without it. */
function drainOptions(values: {
  drain?: boolean;
  'grace-period'?: string;
  'drain-timeout'?: string;
  'on-drain-timeout'?: string;
}): Drain | undefined {
  const tuning = (['grace-period', 'drain-timeout', 'on-drain-timeout'] as const).filter(
    (f) => values[f] !== undefined,
  );
  if (!values.drain) {
    if (tuning.length > 0) throw new UsageError(`--${tuning[0]} needs --drain`);
    return undefined;
  }
  const drain: Drain = {};
  const grace = values['grace-period'];
  if (grace !== undefined) {
    if (!/^-?\d+$/.test(grace) || Number(grace) < -1) {
      throw new UsageError(`invalid --grace-period "${grace}": use a whole number of seconds, or -1`);
    }
    drain.gracePeriodSeconds = Number(grace);
  }
  const timeout = values['drain-timeout'];
  if (timeout !== undefined) {
    const ms = parseDuration(timeout);
    if (ms === undefined || ms < 1000 || ms % 1000 !== 0) {
      throw new UsageError(
        `invalid --drain-timeout "${timeout}": use a whole number of seconds, at least 1s, such as 90s or 5m`,
      );
    }
    drain.timeoutSeconds = ms / 1000;
  }
  const onTimeout = oneOf('--on-drain-timeout', values['on-drain-timeout'], ON_DRAIN_TIMEOUT);
  if (onTimeout !== undefined) drain.onTimeout = onTimeout;
  return drain;
}

/** A batch is what the server restarts from a selector; it has no meaning for nodes named one by one. */
function batchCountOption(
  flag: string,
  value: string | undefined,
  needs: string | undefined,
  least: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (needs) throw new UsageError(`${flag} needs ${needs}: a batch restarts the nodes a selector matches`);
  if (!/^\d+$/.test(value) || Number(value) < least) {
    throw new UsageError(`invalid ${flag} "${value}": use a whole number of nodes, at least ${least}`);
  }
  return Number(value);
}

/** The flags, as node:util parseArgs takes them; shell completion offers the same. */
export const OPTION_SPECS = {
  selector: { type: 'string', short: 'l' },
  'max-unavailable': { type: 'string' },
  'max-failures': { type: 'string' },
  'dry-run': { type: 'string' },
  mode: { type: 'string' },
  reason: { type: 'string' },
  drain: { type: 'boolean' },
  'grace-period': { type: 'string' },
  'drain-timeout': { type: 'string' },
  'on-drain-timeout': { type: 'string' },
  'allow-control-plane': { type: 'boolean' },
  wait: { type: 'boolean' },
  timeout: { type: 'string' },
  output: { type: 'string', short: 'o' },
  ...CONNECTION_FLAG_SPECS,
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseOptions(argv: string[]): Options {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: OPTION_SPECS,
    });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    return {
      names: [],
      dryRun: false,
      allowControlPlane: false,
      wait: false,
      timeoutMs: 0,
      connection: {},
      help: true,
    };
  }
  let connection: ConnectionFlags;
  try {
    connection = connectionFlags(values);
  } catch (err) {
    if (err instanceof ConnectionFlagError) throw new UsageError(err.message);
    throw err;
  }

  const dryRun = oneOf('--dry-run', values['dry-run'], ['none', 'server', 'client'] as const);
  if (dryRun === 'client') {
    throw new UsageError('--dry-run=client cannot tell what a restart would do; use --dry-run=server');
  }
  const timeoutText = values.timeout ?? '10m';
  const timeoutMs = parseDuration(timeoutText);
  if (timeoutMs === undefined || timeoutMs <= 0) {
    throw new UsageError(`invalid --timeout "${timeoutText}": use a positive duration such as 90s or 10m`);
  }
  const selector = values.selector?.trim() || undefined;
  const names = targetNames(positionals, selector !== undefined);
  if (selector !== undefined && names.length > 0) {
    throw new UsageError('name cannot be provided when a selector is specified');
  }
  if (selector === undefined && names.length === 0) {
    throw new UsageError('you must specify at least one node name, or a selector with -l');
  }
  const maxUnavailable = batchCountOption(
    '--max-unavailable',
    values['max-unavailable'],
    selector === undefined ? '-l' : undefined,
    1,
  );
  const maxFailures = batchCountOption(
    '--max-failures',
    values['max-failures'],
    maxUnavailable === undefined ? '-l and --max-unavailable' : undefined,
    0,
  );
  const bad = names.find((n) => !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(n) || n.length > 253);
  if (bad !== undefined) throw new UsageError(`"${bad}" is not a valid node name`);
  return {
    names: [...new Set(names)],
    selector,
    maxUnavailable,
    ...(maxFailures === undefined ? {} : { maxFailures }),
    dryRun: dryRun === 'server',
    mode: oneOf('--mode', values.mode, MODES),
    reason: values.reason,
    drain: drainOptions(values),
    allowControlPlane: values['allow-control-plane'] ?? false,
    wait: values.wait ?? false,
    timeoutMs,
    output: oneOf('--output', values.output, OUTPUTS),
    connection,
    help: false,
  };
}
