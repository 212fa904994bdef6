// Field selectors as k8s.io/apimachinery/pkg/fields/selector.go ParseSelector reads them (v0.36): terms split
// on unescaped commas and sorted, each `field=value`, `field==value` or `field!=value`, values with `\`
// escapes for `\`, `,` and `=`.
import { compareGoStrings } from '../go-format.js';

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

export class FieldSelectorError extends Error {}

/** splitTerms: commas preceded by a backslash are data and stay in the term with their backslash. */
function splitTerms(selector: string): string[] {
  if (selector === '') return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

const OPERATORS = ['!=', '==', '='] as const;

/** splitTerm: the first operator found, `!=` and `==` taking precedence over `=` at the same place. */
function splitTerm(term: string): { lhs: string; op: (typeof OPERATORS)[number]; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    const op = OPERATORS.find((o) => term.startsWith(o, i));
    if (op) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
  }
  return undefined;
}

/** UnescapeValue. */
function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw new FieldSelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      inSlash = false;
    } else if (c === '\\') inSlash = true;
    else if (c === ',' || c === '=') {
      throw new FieldSelectorError(
        `invalid field selector: unescaped character in value: ${c.codePointAt(0)}`,
      );
    } else out += c;
  }
  if (inSlash) throw new FieldSelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/**
 * fields.ParseSelector(...).Requirements(): in sorted term order, without the terms whose field and value
 * are both empty (Transform drops them). Throws FieldSelectorError with Go's message.
 */
export function parseFieldSelector(selector: string): FieldRequirement[] {
  const requirements: FieldRequirement[] = [];
  for (const term of splitTerms(selector).sort(compareGoStrings)) {
    if (term === '') continue;
    const split = splitTerm(term);
    if (!split) throw new FieldSelectorError(`invalid selector: '${selector}'; can't understand '${term}'`);
    const value = unescapeValue(split.rhs);
    if (split.lhs === '' && value === '') continue;
    requirements.push({ field: split.lhs, operator: split.op === '!=' ? '!=' : '=', value });
  }
  return requirements;
}

/** Selector.RequiresExactMatch: the value of the first `field=value` term for that field. */
export function requiredExactMatch(
  requirements: readonly FieldRequirement[],
  field: string,
): string | undefined {
  return requirements.find((r) => r.field === field && r.operator === '=')?.value;
}
