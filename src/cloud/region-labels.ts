import type { NodeLabels, RegionResolution } from './contract/definition.js';
import { quote } from './provider-id-parts.js';

/** Well-known node labels (k8s.io/api core/v1 well_known_labels.go); the second is the deprecated beta name. */
export const TOPOLOGY_REGION_LABEL = 'topology.kubernetes.io/region';
export const LEGACY_REGION_LABEL = 'failure-domain.beta.kubernetes.io/region';

export interface RegionLabelRule {
  label: string;
  /** The region a label value stands for, or why the value cannot be used. */
  interpret(value: string): { region: string } | { rejected: string };
}

/**
 * The region from the first label whose value a rule accepts. Every label looked at, used or not, is recorded in
 * `tried` so that a failure can say exactly what was present.
 */
export function regionFromLabels(
  labels: NodeLabels,
  rules: readonly RegionLabelRule[],
  tried: string[],
): RegionResolution | undefined {
  for (const { label, interpret } of rules) {
    const value = Object.hasOwn(labels, label) ? labels[label] : undefined;
    if (typeof value !== 'string' || value === '') {
      tried.push(`label ${label}: not set`);
      continue;
    }
    const outcome = interpret(value);
    const shown = `label ${label}=${quote(value)}`;
    if ('region' in outcome) {
      return { kind: 'resolved', region: outcome.region, source: 'label', evidence: shown };
    }
    tried.push(`${shown}: ${outcome.rejected}`);
  }
  return undefined;
}
