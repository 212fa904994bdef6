// Apart from the credential chain so that reading the options does not load the Tencent SDK.
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The files ProfileCredential reads, in its order. */
export function tencentCredentialFiles(): string[] {
  return [join(homedir(), '.tencentcloud', 'credentials'), '/etc/tencentcloud/credentials'];
}
