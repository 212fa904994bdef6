// AWS's settings, from environment variables (docs/configuration.md). Credentials are not read here: the SDK's
// default chain finds them, and they are never logged.
//
//   AWS_CLOUD             "true" serves AWS nodes, "false" never does. Unset, they are served when AWS credentials or
//                         configuration are present: AWS_ACCESS_KEY_ID, AWS_PROFILE, AWS_WEB_IDENTITY_TOKEN_FILE
//                         (IRSA), AWS_CONTAINER_CREDENTIALS_FULL_URI or AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (EKS Pod
//                         Identity), AWS_REGION, AWS_DEFAULT_REGION, AWS_ENDPOINT_URL_EC2, or a shared config or
//                         credentials file. The EC2 instance role leaves no such trace: it needs AWS_CLOUD=true.
//   AWS_ENDPOINT_URL_EC2  EC2 endpoint, e.g. a VPC endpoint or an emulator; read by the AWS SDK itself.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CloudEnv, CloudSwitch } from '../contract/plugin.js';
import { detectedSwitch } from '../detected-switch.js';

export interface AwsSettings extends CloudSwitch {
  /** EC2 endpoint URL; unset in production, where the SDK reads AWS_ENDPOINT_URL_EC2. */
  endpoint?: string;
}

const AWS_SIGNALS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_PROFILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ENDPOINT_URL_EC2',
];

export function awsSettings(env: CloudEnv): AwsSettings {
  const files = [
    env.vars['AWS_SHARED_CREDENTIALS_FILE'] || join(homedir(), '.aws', 'credentials'),
    env.vars['AWS_CONFIG_FILE'] || join(homedir(), '.aws', 'config'),
  ];
  return detectedSwitch(env, {
    variable: 'AWS_CLOUD',
    signals: AWS_SIGNALS,
    files,
    none: 'no AWS credentials or configuration found',
  });
}
