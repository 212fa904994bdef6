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
}

function convert(spec: FlagSpec, raw: string, errors: string[], source: string): FlagValue | undefined {
  switch (spec.kind) {
    case 'string':
      return raw;
    case 'list':
      return raw === '' ? [] : raw.split(',').map((s) => s.trim());
    case 'int': {
      if (!/^-?\d+$/.test(raw)) errors.push(`${source}: "${raw}" is not an integer`);
      return Number(raw);
    }
    case 'bool': {
      if (!['true', 'false', '1', '0'].includes(raw)) errors.push(`${source}: "${raw}" is not a boolean`);
      return raw === 'true' || raw === '1';
    }
    case 'duration': {
      const ms = parseDuration(raw);
      if (ms === undefined) errors.push(`${source}: "${raw}" is not a duration such as 10s or 1m30s`);
      return ms;
    }
  }
}

/** Parses `--name=value`, `--name value` and bare boolean `--name` (pflag's forms). */
export function parseFlags(specs: FlagSpec[], argv: string[], env: NodeJS.ProcessEnv): ParsedFlags {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const errors: string[] = [];
  const raw = new Map<string, [string, string]>();
  for (const spec of specs) {
    const fromEnv = env[envName(spec.name)];
    if (fromEnv !== undefined) raw.set(spec.name, [fromEnv, `environment ${envName(spec.name)}`]);
    else if (spec.default !== undefined) raw.set(spec.name, [spec.default, `default of --${spec.name}`]);
  }
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
    raw.set(spec.name, [value, `--${spec.name}`]);
  }
  const values = new Map<string, FlagValue>();
  for (const [name, [text, source]] of raw) {
    const v = convert(byName.get(name)!, text, errors, source);
    if (v !== undefined) values.set(name, v);
  }
  return { values, errors };
}

export function usage(specs: FlagSpec[]): string {
  return specs
    .map(
      (s) =>
        `  --${s.name}${s.kind === 'bool' ? '' : ` ${s.kind}`}\t${s.help}${s.default ? ` (default "${s.default}")` : ''}`,
    )
    .join('\n');
}
