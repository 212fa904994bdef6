import type { CloudEnv, CloudSwitch } from './contract/plugin.js';

export interface SwitchTraces {
  /** The explicit switch, e.g. AWS_CLOUD: "true" or "false" wins over any trace. */
  variable: string;
  /** Variables whose presence shows the cloud's credentials or configuration. */
  signals: readonly string[];
  /** Files whose existence shows them. */
  files: readonly string[];
  /** The reason when nothing is found, e.g. "no AWS credentials or configuration found". */
  none: string;
}

/**
 * The switch of a cloud served when its credentials leave a trace: its variable when set, else the first trace found.
 * A machine role leaves none, so its cloud needs the variable.
 */
export function detectedSwitch(env: CloudEnv, { variable, signals, files, none }: SwitchTraces): CloudSwitch {
  const explicit = env.flag(variable);
  const howToEnable = `configure its credentials or set ${variable}=true`;
  if (explicit !== undefined) return { enabled: explicit, reason: `${variable}=${explicit}`, howToEnable };
  const signal = signals.find((name) => Boolean(env.vars[name]));
  if (signal !== undefined) return { enabled: true, reason: `${signal} is set`, howToEnable };
  const file = files.find((path) => env.fileExists(path));
  if (file !== undefined) return { enabled: true, reason: `${file} exists`, howToEnable };
  return { enabled: false, reason: none, howToEnable };
}
