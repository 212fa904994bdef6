// Writes self-contained kubeconfigs (credentials embedded) that kubectl and @kubernetes/client-node load.
import { readFile, writeFile } from 'node:fs/promises';

export interface KubeconfigSpec {
  server: string;
  caFile: string;
  user: string;
  /** Either a client certificate pair, or a bearer token. */
  certFile?: string;
  keyFile?: string;
  token?: string;
  context?: string;
}

const b64 = async (file: string) => (await readFile(file)).toString('base64');

export async function writeKubeconfig(path: string, spec: KubeconfigSpec): Promise<void> {
  const name = spec.context ?? spec.user;
  const user: Record<string, string> = spec.token
    ? { token: spec.token }
    : { 'client-certificate-data': await b64(spec.certFile!), 'client-key-data': await b64(spec.keyFile!) };
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'local',
        cluster: { server: spec.server, 'certificate-authority-data': await b64(spec.caFile) },
      },
    ],
    users: [{ name: spec.user, user }],
    contexts: [{ name, context: { cluster: 'local', user: spec.user } }],
    'current-context': name,
  };
  // JSON is YAML: kubectl and client-node read it as a kubeconfig.
  await writeFile(path, JSON.stringify(config, null, 2), { mode: 0o600 });
}
