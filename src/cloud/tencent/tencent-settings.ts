// Tencent Cloud's settings, from environment variables (docs/configuration.md). Credentials are not read here (see
// tencent-credentials.ts), and they are never logged.
//
//   TENCENT_CLOUD                   "true" serves Tencent Cloud nodes, "false" never does. Unset, they are served when
//                                   TENCENTCLOUD_SECRET_ID, TKE_ROLE_ARN (TKE OIDC), TENCENTCLOUD_REGION,
//                                   TENCENTCLOUD_ENDPOINT or a credentials file (~/.tencentcloud/credentials,
//                                   /etc/tencentcloud/credentials) is present. The CVM role leaves no such trace: it
//                                   needs TENCENT_CLOUD=true.
//   TENCENTCLOUD_ENDPOINT           CVM endpoint, a host or URL (default https://cvm.tencentcloudapi.com), e.g.
//                                   cvm.internal.tencentcloudapi.com from inside Tencent Cloud.
//   TENCENTCLOUD_METADATA_DISABLED  "true": never ask the instance metadata service for the CVM role.
import type { CloudEnv, CloudSwitch } from '../contract/plugin.js';
import { detectedSwitch } from '../detected-switch.js';
import { parseCvmEndpoint } from './cvm-endpoint.js';
import { tencentCredentialFiles } from './tencent-credential-files.js';

export interface TencentSettings extends CloudSwitch {
  /** CVM endpoint, host or URL. */
  endpoint?: string;
  metadataDisabled: boolean;
}

const TENCENT_SIGNALS = [
  'TENCENTCLOUD_SECRET_ID',
  'TKE_ROLE_ARN',
  'TENCENTCLOUD_REGION',
  'TENCENTCLOUD_ENDPOINT',
];

export function tencentSettings(env: CloudEnv): TencentSettings {
  const endpoint = env.vars['TENCENTCLOUD_ENDPOINT']?.trim() || undefined;
  if (endpoint !== undefined && parseCvmEndpoint(endpoint) === undefined) {
    env.problem(
      `TENCENTCLOUD_ENDPOINT must be a host[:port] or an http(s) URL, not ${JSON.stringify(endpoint)}`,
    );
  }
  return {
    ...detectedSwitch(env, {
      variable: 'TENCENT_CLOUD',
      signals: TENCENT_SIGNALS,
      files: tencentCredentialFiles(),
      none: 'no Tencent Cloud credentials or configuration found',
    }),
    ...(endpoint !== undefined && { endpoint }),
    metadataDisabled: env.flag('TENCENTCLOUD_METADATA_DISABLED') ?? false,
  };
}
