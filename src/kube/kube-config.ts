// How this server reaches kube-apiserver: a kubeconfig file when given, otherwise the Pod's in-cluster
// configuration. We never fall back to ~/.kube/config silently inside a Pod.
import { HttpMethod, KubeConfig, RequestContext } from '@kubernetes/client-node';
import type { Dispatcher } from 'undici';

export function loadKubeConfig(path: string | undefined, env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const kc = new KubeConfig();
  if (path) kc.loadFromFile(path);
  else if (env.KUBERNETES_SERVICE_HOST) kc.loadFromCluster();
  else kc.loadFromDefault(undefined, true);
  if (!kc.getCurrentCluster()) throw new Error(`no cluster in the kubeconfig ${path ?? '(default)'}`);
  return kc;
}

/** What a GET of `url` needs to reach the cluster as the kubeconfig's user: its headers and its TLS dispatcher. */
export async function authenticated(
  kc: KubeConfig,
  url: URL,
): Promise<{ headers: Record<string, string>; dispatcher: Dispatcher | undefined }> {
  const ctx = new RequestContext(url.toString(), HttpMethod.GET);
  await kc.applySecurityAuthentication(ctx);
  return { headers: ctx.getHeaders(), dispatcher: ctx.getDispatcher() as Dispatcher | undefined };
}
