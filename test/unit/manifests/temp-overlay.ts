// Throwaway kustomizations on top of the repository's, for compositions no committed overlay makes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';

export interface OverlaySpec {
  /** Paths below kustomize/, e.g. overlays/eks. */
  resources?: string[];
  components?: string[];
  transformers?: string[];
  namespace?: string;
  /** Extra fields, copied as they are (paths in them are relative to the temporary directory). */
  extra?: Record<string, unknown>;
}

const made: string[] = [];

/** kustomize refuses absolute paths, so references are made relative to the temporary directory. */
export function tempOverlay(root: string, spec: OverlaySpec = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'kcnm-overlay-'));
  made.push(dir);
  const ref = (paths?: string[]) => paths?.map((p) => relative(dir, join(root, 'kustomize', p)));
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: ref(spec.resources),
    components: ref(spec.components),
    namespace: spec.namespace,
    transformers: ref(spec.transformers),
    ...spec.extra,
  };
  writeFileSync(join(dir, 'kustomization.yaml'), stringify(kustomization));
  return dir;
}

export function removeTempOverlays(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
