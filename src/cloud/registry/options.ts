// Cloud settings, from environment variables (the server's flags are in src/config/server-options.ts). Credentials
// are not read here: each SDK finds its own, and they are never logged.
//
//   CLOUD_TIMEOUT                   Time budget of one cloud API call, retries included; Go duration (default 10s).
//   CLOUD_MAX_ATTEMPTS              Requests per call when a failure is safe to repeat (default 3; 1 never repeats).
//   CLOUD_BATCH_WINDOW              How long a reboot waits for reboots in the same cloud, region and mode to share its
//                                   RebootInstances call; Go duration (default 10ms; 0 sends each reboot alone).
//   AWS_CLOUD                       "true" serves AWS nodes, "false" never does. Unset, they are served when AWS
//                                   credentials or configuration are present: AWS_ACCESS_KEY_ID, AWS_PROFILE,
//                                   AWS_WEB_IDENTITY_TOKEN_FILE (IRSA), AWS_CONTAINER_CREDENTIALS_FULL_URI or
//                                   AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (EKS Pod Identity), AWS_REGION,
//                                   AWS_DEFAULT_REGION, AWS_ENDPOINT_URL_EC2, or a shared config or credentials file.
//                                   The EC2 instance role leaves no such trace: it needs AWS_CLOUD=true.
//   AWS_ENDPOINT_URL_EC2            EC2 endpoint, e.g. a VPC endpoint or an emulator; read by the AWS SDK itself.
//   TENCENT_CLOUD                   The same for Tencent Cloud nodes. Unset, they are served when
//                                   TENCENTCLOUD_SECRET_ID, TKE_ROLE_ARN (TKE OIDC), TENCENTCLOUD_REGION,
//                                   TENCENTCLOUD_ENDPOINT or a credentials file (~/.tencentcloud/credentials,
//                                   /etc/tencentcloud/credentials) is present. The CVM role leaves no such trace: it
//                                   needs TENCENT_CLOUD=true.
//   TENCENTCLOUD_ENDPOINT           CVM endpoint, a host or URL (default https://cvm.tencentcloudapi.com), e.g.
//                                   cvm.internal.tencentcloudapi.com from inside Tencent Cloud.
//   TENCENTCLOUD_METADATA_DISABLED  "true": never ask the instance metadata service for the CVM role.
//   SIMULATED_CLOUD                 "true" serves simulated:/// nodes from an in-memory cloud. For the sandbox and
//                                   tests; never on unless set.
//   SIMULATED_REBOOT_DURATION       How long a simulated reboot lasts; Go duration (default 5s).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseDuration } from '../../config/duration.js';
import { parseCvmEndpoint } from '../tencent/cvm-endpoint.js';
import { tencentCredentialFiles } from '../tencent/tencent-credential-files.js';

export interface CloudSwitch {
  enabled: boolean;
  /** Why, e.g. "AWS_CLOUD=true", "AWS_WEB_IDENTITY_TOKEN_FILE is set", "no AWS credentials or configuration found". */
  reason: string;
  /** What an operator does to enable the cloud. */
  howToEnable: string;
}

export interface CloudOptions {
  timeoutMs: number;
  maxAttempts: number;
  batchWindowMs: number;
  aws: CloudSwitch & {
    /** EC2 endpoint URL; unset in production, where the SDK reads AWS_ENDPOINT_URL_EC2. */
    endpoint?: string;
  };
  tencent: CloudSwitch & {
    /** CVM endpoint, host or URL. */
    endpoint?: string;
    metadataDisabled: boolean;
  };
  simulated: CloudSwitch & { rebootMs: number };
}

/** DI token for the CloudOptions CloudModule was built with. */
export const CLOUD_OPTIONS = Symbol('CLOUD_OPTIONS');

export class CloudOptionsError extends Error {
  override readonly name = 'CloudOptionsError';
}

type Env = NodeJS.ProcessEnv;
type FileExists = (path: string) => boolean;

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

const TENCENT_SIGNALS = [
  'TENCENTCLOUD_SECRET_ID',
  'TKE_ROLE_ARN',
  'TENCENTCLOUD_REGION',
  'TENCENTCLOUD_ENDPOINT',
];

function awsFiles(env: Env): string[] {
  return [
    env['AWS_SHARED_CREDENTIALS_FILE'] || join(homedir(), '.aws', 'credentials'),
    env['AWS_CONFIG_FILE'] || join(homedir(), '.aws', 'config'),
  ];
}

/** Reads the settings above, reporting every bad value at once. */
export function cloudOptionsFromEnv(
  env: Env = process.env,
  fileExists: FileExists = existsSync,
): CloudOptions {
  const problems: string[] = [];
  const flag = (name: string): boolean | undefined => {
    const value = env[name]?.trim().toLowerCase();
    if (value === undefined || value === '') return undefined;
    if (value === 'true' || value === 'false') return value === 'true';
    problems.push(`${name} must be true or false, not ${JSON.stringify(env[name])}`);
    return undefined;
  };
  const duration = (name: string, fallbackMs: number, zero = false): number => {
    const text = env[name]?.trim();
    if (text === undefined || text === '') return fallbackMs;
    const ms = parseDuration(text);
    if (ms !== undefined && (ms > 0 || (zero && ms === 0))) return ms;
    const what = zero ? 'a duration such as 10ms or 0' : 'a positive duration such as 10s or 1500ms';
    problems.push(`${name} must be ${what}, not ${JSON.stringify(text)}`);
    return fallbackMs;
  };
  const detected = (name: string, signals: string[], files: string[], none: string): CloudSwitch => {
    const explicit = flag(name);
    const howToEnable = `configure its credentials or set ${name}=true`;
    if (explicit !== undefined) return { enabled: explicit, reason: `${name}=${explicit}`, howToEnable };
    const variable = signals.find((signal) => Boolean(env[signal]));
    if (variable !== undefined) return { enabled: true, reason: `${variable} is set`, howToEnable };
    const file = files.find((path) => fileExists(path));
    if (file !== undefined) return { enabled: true, reason: `${file} exists`, howToEnable };
    return { enabled: false, reason: none, howToEnable };
  };

  const attemptsText = env['CLOUD_MAX_ATTEMPTS']?.trim() || '3';
  const maxAttempts = /^\d+$/.test(attemptsText) ? Number(attemptsText) : NaN;
  if (!(maxAttempts >= 1 && maxAttempts <= 10)) {
    problems.push(
      `CLOUD_MAX_ATTEMPTS must be a whole number from 1 to 10, not ${JSON.stringify(attemptsText)}`,
    );
  }
  const tencentEndpoint = env['TENCENTCLOUD_ENDPOINT']?.trim() || undefined;
  if (tencentEndpoint !== undefined && parseCvmEndpoint(tencentEndpoint) === undefined) {
    problems.push(
      `TENCENTCLOUD_ENDPOINT must be a host[:port] or an http(s) URL, not ${JSON.stringify(tencentEndpoint)}`,
    );
  }
  const simulated = flag('SIMULATED_CLOUD') ?? false;

  const options: CloudOptions = {
    timeoutMs: duration('CLOUD_TIMEOUT', 10_000),
    maxAttempts,
    batchWindowMs: duration('CLOUD_BATCH_WINDOW', 10, true),
    aws: detected('AWS_CLOUD', AWS_SIGNALS, awsFiles(env), 'no AWS credentials or configuration found'),
    tencent: {
      ...detected(
        'TENCENT_CLOUD',
        TENCENT_SIGNALS,
        tencentCredentialFiles(),
        'no Tencent Cloud credentials or configuration found',
      ),
      ...(tencentEndpoint !== undefined && { endpoint: tencentEndpoint }),
      metadataDisabled: flag('TENCENTCLOUD_METADATA_DISABLED') ?? false,
    },
    simulated: {
      enabled: simulated,
      reason: simulated ? 'SIMULATED_CLOUD=true' : 'SIMULATED_CLOUD is not true',
      howToEnable: 'set SIMULATED_CLOUD=true (sandbox and tests only)',
      rebootMs: duration('SIMULATED_REBOOT_DURATION', 5000),
    },
  };
  if (problems.length > 0) {
    throw new CloudOptionsError(`invalid cloud configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return options;
}
