// How this server reaches kube-apiserver: a kubeconfig file when given, otherwise the Pod's in-cluster
// configuration. We never fall back to ~/.kube/config silently inside a Pod.
import { KubeConfig } from '@kubernetes/client-node';

export function loadKubeConfig(path: string | undefined, env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const kc = new KubeConfig();
  if (path) kc.loadFromFile(path);
  else if (env.KUBERNETES_SERVICE_HOST) kc.loadFromCluster();
  else kc.loadFromDefault(undefined, true);
  if (!kc.getCurrentCluster()) throw new Error(`no cluster in the kubeconfig ${path ?? '(default)'}`);
  return kc;
}
