// The clouds this server supports: one line each. A cloud is a folder whose index.ts exports its CloudPlugin
// (docs/architecture.md, "Adding a cloud"); nothing outside this file and the cloud's folder names it.
import { awsPlugin } from '../aws/index.js';
import type { CloudDefinition } from '../contract/definition.js';
import type { CloudPlugin } from '../contract/plugin.js';
import { simulatedPlugin } from '../simulated/index.js';
import { tencentPlugin } from '../tencent/index.js';

export const CLOUD_PLUGINS = [
  awsPlugin,
  tencentPlugin,
  simulatedPlugin,
] as const satisfies readonly CloudPlugin[];

type SupportedPlugin = (typeof CLOUD_PLUGINS)[number];

export type CloudName = SupportedPlugin['definition']['name'];

/** Each cloud's own settings, under its name. */
export type CloudSettings = {
  readonly [P in SupportedPlugin as P['definition']['name']]: ReturnType<P['settings']>;
};

export const CLOUD_NAMES: readonly CloudName[] = CLOUD_PLUGINS.map((plugin) => plugin.definition.name);

export const SUPPORTED_CLOUDS: readonly CloudDefinition[] = CLOUD_PLUGINS.map((plugin) => plugin.definition);

export function cloudForScheme(scheme: string): CloudDefinition | undefined {
  return SUPPORTED_CLOUDS.find((cloud) => cloud.schemes.includes(scheme));
}

export function isCloudName(name: string): name is CloudName {
  return (CLOUD_NAMES as readonly string[]).includes(name);
}

/** The plugin of a supported cloud; throws for any other name, which no providerID parse can give. */
export function cloudPlugin(name: string): CloudPlugin {
  const plugin: CloudPlugin | undefined = CLOUD_PLUGINS.find((p) => p.definition.name === name);
  if (plugin === undefined) throw new Error(`unknown cloud ${JSON.stringify(name)}`);
  return plugin;
}

export function cloudNamed(name: string): CloudDefinition {
  return cloudPlugin(name).definition;
}
