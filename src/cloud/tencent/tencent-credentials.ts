import { existsSync } from 'node:fs';
import {
  type Credential,
  CvmRoleCredential,
  type DynamicCredential,
  EnvironmentVariableCredential,
  OIDCRoleArnCredential,
  ProfileCredential,
} from 'tencentcloud-sdk-nodejs-common';
import { tencentCredentialFiles } from './tencent-credential-files.js';

// The SDK's providers, in the order of its DefaultCredentialProvider (TencentCloud/tencentcloud-sdk-nodejs
// src/common/credential.ts: environment, profile file, CVM role, TKE OIDC) except that TKE OIDC comes before the CVM
// role: a pod given its own role must not act with its node's. That provider is not used: it asks the metadata
// service before TKE OIDC, logs every failing provider with console.error on every call, and its role providers
// remember a failed fetch for ever.

export const TKE_OIDC_VARIABLES = [
  'TKE_ROLE_ARN',
  'TKE_WEB_IDENTITY_TOKEN_FILE',
  'TKE_PROVIDER_ID',
  'TKE_REGION',
];

/** No source gave credentials; `tried` says why each did not. */
export class TencentCredentialsUnavailable extends Error {
  override readonly name = 'TencentCredentialsUnavailable';

  constructor(readonly tried: string[]) {
    super(`no Tencent Cloud credentials: ${tried.join('; ')}`);
  }
}

/** TKE pod identity. Refreshes a minute ahead (the SDK's margin is 600 ms) and does not remember failures. */
class TkeOidcCredential extends OIDCRoleArnCredential {
  constructor() {
    super();
    this.expirationReservationTime = 60_000;
  }

  override async getCredential(): Promise<Credential> {
    try {
      return await super.getCredential();
    } catch (error) {
      this.credentialTask = null;
      throw error;
    }
  }
}

/** The role bound to the CVM the server runs on, from the metadata service; does not remember failures. */
class CvmRoleCredentialRetried extends CvmRoleCredential {
  override async getCredential(): Promise<Credential> {
    try {
      return await super.getCredential();
    } catch (error) {
      this.roleNameTask = null;
      this.credentialTask = null;
      throw error;
    }
  }
}

interface CredentialSource {
  name: string;
  /** Why the source does not apply here, or undefined when it does. */
  unavailable(): string | undefined;
  provider: DynamicCredential;
}

function missing(names: string[], env: NodeJS.ProcessEnv): string | undefined {
  const unset = names.filter((name) => !env[name]);
  return unset.length === 0 ? undefined : `${unset.join(', ')} not set`;
}

function sources(metadataDisabled: boolean): CredentialSource[] {
  const env = process.env;
  return [
    {
      name: 'environment',
      unavailable: () => missing(['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY'], env),
      provider: new EnvironmentVariableCredential(),
    },
    {
      name: 'credentials file',
      unavailable: () => {
        const files = tencentCredentialFiles();
        return files.some((file) => existsSync(file)) ? undefined : `none of ${files.join(', ')}`;
      },
      provider: new ProfileCredential(),
    },
    {
      name: 'TKE OIDC',
      unavailable: () => missing(TKE_OIDC_VARIABLES, env),
      provider: new TkeOidcCredential(),
    },
    {
      name: 'CVM role',
      unavailable: () => (metadataDisabled ? 'TENCENTCLOUD_METADATA_DISABLED is set' : undefined),
      provider: new CvmRoleCredentialRetried(),
    },
  ];
}

function usable(credential: Credential): boolean {
  return Boolean(credential.secretId && credential.secretKey);
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The first source that gives credentials wins and is asked alone from then on (the role providers cache their
 * temporary keys); when it fails, the whole chain is walked again.
 */
export class TencentCredentialChain implements DynamicCredential {
  readonly #sources: CredentialSource[];
  #winner?: CredentialSource;

  constructor(options: { metadataDisabled: boolean }) {
    this.#sources = sources(options.metadataDisabled);
  }

  async getCredential(): Promise<Credential> {
    const winner = this.#winner;
    if (winner !== undefined) {
      const credential = await winner.provider.getCredential().catch(() => undefined);
      if (credential !== undefined && usable(credential)) return credential;
      this.#winner = undefined;
    }
    const tried: string[] = [];
    for (const source of this.#sources) {
      const skipped = source.unavailable();
      if (skipped !== undefined) {
        tried.push(`${source.name}: ${skipped}`);
        continue;
      }
      try {
        const credential = await source.provider.getCredential();
        if (usable(credential)) {
          this.#winner = source;
          return credential;
        }
        tried.push(`${source.name}: no SecretId or SecretKey`);
      } catch (error) {
        tried.push(`${source.name}: ${reason(error)}`);
      }
    }
    throw new TencentCredentialsUnavailable(tried);
  }
}

/** Fixed keys, as a provider. */
export function fixedCredential(credential: Credential): DynamicCredential {
  return { getCredential: async () => credential };
}
