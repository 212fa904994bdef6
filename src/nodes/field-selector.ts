// Field selectors for our nodes: like a CRD, only metadata.name (=, ==, !=), comma-joined.
import { SelectorError } from './label-selector.js';

export interface NameRequirement {
  equal: boolean;
  name: string;
}

export function parseFieldSelector(text: string | undefined): NameRequirement[] {
  if (!text || !text.trim()) return [];
  return text.split(',').map((term) => {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(term);
    if (!m) throw new SelectorError(`invalid selector: '${text}'; can't understand '${term}'`);
    if (m[1] !== 'metadata.name') throw new SelectorError(`field label not supported: ${m[1]}`);
    return { equal: m[2] !== '!=', name: m[3]! };
  });
}

export function matchesName(reqs: NameRequirement[], name: string): boolean {
  return reqs.every((r) => (r.name === name) === r.equal);
}

/** The single name a selector pins, if any (lets get-by-name serve a list from one cache lookup). */
export function pinnedName(reqs: NameRequirement[]): string | undefined {
  return reqs.find((r) => r.equal)?.name;
}
