// Which nodes a list asks for: label selectors as Go parses and matches them, and — as for a custom
// resource — field selectors on metadata.name only.
import { StatusError, badRequest } from '../status.js';
import {
  FieldSelectorError,
  parseFieldSelector,
  requiredExactMatch,
  type FieldRequirement,
} from './field-selector.js';
import {
  LabelSelectorError,
  matchesLabels,
  parseLabelSelector,
  type LabelRequirement,
} from './label-selector.js';

const NAME_FIELD = 'metadata.name';

export interface NodeSelection {
  labels: LabelRequirement[];
  fields: FieldRequirement[];
  /** The one name `metadata.name=X` pins, so a list can be one cache lookup. */
  pinnedName?: string;
}

/** A 400 Status with Go's message for a selector that does not parse or names an unsupported field. */
export function parseNodeSelection(labelSelector = '', fieldSelector = ''): NodeSelection {
  try {
    const labels = parseLabelSelector(labelSelector);
    const fields = parseFieldSelector(fieldSelector);
    const unsupported = fields.find((f) => f.field !== NAME_FIELD);
    if (unsupported) throw new StatusError(badRequest(`field label not supported: ${unsupported.field}`));
    return { labels, fields, pinnedName: requiredExactMatch(fields, NAME_FIELD) };
  } catch (err) {
    if (err instanceof LabelSelectorError || err instanceof FieldSelectorError) {
      throw new StatusError(badRequest(err.message));
    }
    throw err;
  }
}

export function selects(selection: NodeSelection, name: string, labels?: Record<string, string>): boolean {
  return (
    selection.fields.every((f) => (f.value === name) === (f.operator === '=')) &&
    matchesLabels(selection.labels, labels)
  );
}
