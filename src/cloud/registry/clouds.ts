import { awsCloud } from '../aws/aws-cloud.js';
import type { CloudDefinition } from '../contract/definition.js';
import { simulatedCloud } from '../simulated/simulated-cloud.js';
import { tencentCloud } from '../tencent/tencent-cloud.js';

/** The supported clouds. Adding one is a folder implementing CloudDefinition plus its entry here. */
export const SUPPORTED_CLOUDS = [awsCloud, tencentCloud, simulatedCloud] as const;

export type CloudName = (typeof SUPPORTED_CLOUDS)[number]['name'];

export const CLOUD_NAMES: readonly CloudName[] = SUPPORTED_CLOUDS.map((cloud) => cloud.name);

export function cloudForScheme(scheme: string): CloudDefinition<CloudName> | undefined {
  return SUPPORTED_CLOUDS.find((cloud) => cloud.schemes.includes(scheme));
}

export function cloudNamed(name: CloudName): CloudDefinition<CloudName> {
  const cloud = SUPPORTED_CLOUDS.find((c) => c.name === name);
  if (cloud === undefined) throw new Error(`unknown cloud ${JSON.stringify(name)}`);
  return cloud;
}
