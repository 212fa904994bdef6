// Command-line flags with the names k8s.io/apiserver gives them (operators know them from metrics-server),
// each also settable by an environment variable of the same name in upper snake case
// (--secure-port ↔ SECURE_PORT). Flags win over the environment, which wins over defaults.
import { parseDuration } from './duration.js';

export type FlagKind = 'string' | 'int' | 'bool' | 'duration' | 'list';

export interface FlagSpec {
  name: string;
  kind: FlagKind;
  default?: string;
  help: string;
}

export type FlagValue = string | number | boolean | string[];

export const envName = (flag: string) => flag.toUpperCase().replaceAll('-', '_');

export interface ParsedFlags {
  values: Map<string, FlagValue>;
  errors: string[];
  /** Where each value came from and its text, to name both in validation errors. */
  sources: Map<string, { source: string; text: string }>;
  /** Flags whose text could not be converted (already in `errors`; their value is left unset). */
  invalid: Set<string>;
}

// strconv.ParseBool, which pflag's bool flags use.
const TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False'];

/** The value, or undefined (and an error pushed) when `raw` is not one of `spec.kind`. */
function convert(spec: FlagSpec, raw: string, errors: string[], source: string): FlagValue | undefined {
  switch (spec.kind) {
    case 'string':
      return raw;
    case 'list':
      return raw === '' ? [] : raw.split(',').map((s) => s.trim());
    case 'int': {
      if (/^[-+]?\d+$/.test(raw)) return Number(raw);
      errors.push(`${source}: "${raw}" is not an integer`);
      return undefined;
    }
    case 'bool': {
      if (TRUE.includes(raw)) return true;
      if (FALSE.includes(raw)) return false;
      errors.push(`${source}: "${raw}" is not a boolean`);
      return undefined;
    }
    case 'duration': {
      const ms = parseDuration(raw);
      if (ms === undefined) errors.push(`${source}: "${raw}" is not a duration such as 10s or 1m30s`);
      return ms;
    }
  }
}

/**
 * Parses `--name=value`, `--name value` and bare boolean `--name` (pflag's forms). As with pflag's string
 * slices, a list flag given more than once collects the values of every occurrence.
 */
export function parseFlags(specs: FlagSpec[], argv: string[], env: NodeJS.ProcessEnv): ParsedFlags {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const errors: string[] = [];
  const raw = new Map<string, { text: string; source: string }>();
  for (const spec of specs) {
    const fromEnv = env[envName(spec.name)];
    if (fromEnv !== undefined)
      raw.set(spec.name, { text: fromEnv, source: `environment ${envName(spec.name)}` });
    else if (spec.default !== undefined)
      raw.set(spec.name, { text: spec.default, source: `default of --${spec.name}` });
  }
  const onCommandLine = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^--?([a-z0-9-]+)(?:=(.*))?$/s.exec(arg);
    const spec = m ? byName.get(m[1]!) : undefined;
    if (!m || !spec) {
      errors.push(`unknown flag or argument "${arg}"`);
      continue;
    }
    let value = m[2];
    if (value === undefined) {
      if (spec.kind === 'bool') value = 'true';
      else if (i + 1 < argv.length) value = argv[++i]!;
      else {
        errors.push(`--${spec.name} needs a value`);
        continue;
      }
    }
    const previous = raw.get(spec.name);
    if (spec.kind === 'list' && onCommandLine.has(spec.name) && previous)
      value = value === '' ? previous.text : previous.text === '' ? value : `${previous.text},${value}`;
    raw.set(spec.name, { text: value, source: `--${spec.name}` });
    onCommandLine.add(spec.name);
  }
  const values = new Map<string, FlagValue>();
  const invalid = new Set<string>();
  for (const [name, { text, source }] of raw) {
    const v = convert(byName.get(name)!, text, errors, source);
    if (v === undefined) invalid.add(name);
    else values.set(name, v);
  }
  return { values, errors, sources: raw, invalid };
}

export function usage(specs: FlagSpec[]): string {
  return specs
    .map(
      (s) =>
        `  --${s.name}${s.kind === 'bool' ? '' : ` ${s.kind}`}\t${s.help}${s.default ? ` (default "${s.default}")` : ''}`,
    )
    .join('\n');
}
