// The cloud settings, from environment variables (the server's flags are in src/config/server-options.ts): the
// ones every cloud shares, read here, and each cloud's own, read by its plugin (its *-settings.ts).
//
//   CLOUD_TIMEOUT       Time budget of one cloud API call, retries included; Go duration (default 10s).
//   CLOUD_MAX_ATTEMPTS  Requests per call when a failure is safe to repeat (default 3; 1 never repeats).
//   CLOUD_BATCH_WINDOW  How long a reboot waits for reboots in the same cloud, region and mode to share its
//                       RebootInstances call; Go duration (default 10ms; 0 sends each reboot alone).
import { existsSync } from 'node:fs';
import { parseDuration } from '../../config/duration.js';
import type { CloudEnv, CloudSwitch, CommonCloudOptions } from '../contract/plugin.js';
import { CLOUD_PLUGINS, type CloudSettings, isCloudName } from './clouds.js';

export type CloudOptions = CommonCloudOptions & CloudSettings;

/** DI token for the CloudOptions CloudModule was built with. */
export const CLOUD_OPTIONS = Symbol('CLOUD_OPTIONS');

export class CloudOptionsError extends Error {
  override readonly name = 'CloudOptionsError';
}

type FileExists = (path: string) => boolean;

/** The environment, noting every bad value it is asked for. */
class EnvReader implements CloudEnv {
  readonly problems: string[] = [];

  constructor(
    readonly vars: NodeJS.ProcessEnv,
    readonly fileExists: FileExists,
  ) {}

  flag(name: string): boolean | undefined {
    const value = this.vars[name]?.trim().toLowerCase();
    if (value === undefined || value === '') return undefined;
    if (value === 'true' || value === 'false') return value === 'true';
    this.problem(`${name} must be true or false, not ${JSON.stringify(this.vars[name])}`);
    return undefined;
  }

  duration(name: string, fallbackMs: number, zero = false): number {
    const text = this.vars[name]?.trim();
    if (text === undefined || text === '') return fallbackMs;
    const ms = parseDuration(text);
    if (ms !== undefined && (ms > 0 || (zero && ms === 0))) return ms;
    const what = zero ? 'a duration such as 10ms or 0' : 'a positive duration such as 10s or 1500ms';
    this.problem(`${name} must be ${what}, not ${JSON.stringify(text)}`);
    return fallbackMs;
  }

  problem(message: string): void {
    this.problems.push(message);
  }
}

function maxAttempts(env: EnvReader): number {
  const text = env.vars['CLOUD_MAX_ATTEMPTS']?.trim() || '3';
  const attempts = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(attempts >= 1 && attempts <= 10)) {
    env.problem(`CLOUD_MAX_ATTEMPTS must be a whole number from 1 to 10, not ${JSON.stringify(text)}`);
  }
  return attempts;
}

/** Reads the settings above and every cloud's, reporting every bad value at once. */
export function cloudOptionsFromEnv(
  vars: NodeJS.ProcessEnv = process.env,
  fileExists: FileExists = existsSync,
): CloudOptions {
  const env = new EnvReader(vars, fileExists);
  const common: CommonCloudOptions = {
    timeoutMs: env.duration('CLOUD_TIMEOUT', 10_000),
    maxAttempts: maxAttempts(env),
    batchWindowMs: env.duration('CLOUD_BATCH_WINDOW', 10, true),
  };
  const settings = CLOUD_PLUGINS.map((plugin) => [plugin.definition.name, plugin.settings(env)] as const);
  if (env.problems.length > 0) {
    throw new CloudOptionsError(`invalid cloud configuration:\n  - ${env.problems.join('\n  - ')}`);
  }
  // Each plugin's settings under its name is what CloudSettings says, which Object.fromEntries cannot express.
  return { ...common, ...(Object.fromEntries(settings) as CloudSettings) };
}

/** The settings of the cloud named `cloud`, whichever it is. */
export function cloudSettings(options: CloudOptions, cloud: string): CloudSwitch {
  if (!isCloudName(cloud)) throw new Error(`unknown cloud ${JSON.stringify(cloud)}`);
  return options[cloud];
}
