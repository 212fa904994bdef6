// Label selectors as k8s.io/apimachinery/pkg/labels/selector.go Parse reads them: the same lexer, parser,
// key and value validation (pkg/api/validate/content), requirement order (by key) and error messages.
import { compareGoStrings, goByteLength, isGoInt64 } from '../go-format.js';
import { aggregateMessage, errorMessage, invalid, type FieldError } from '../field-errors.js';

export type LabelOperator = 'exists' | '!' | '=' | '==' | 'in' | '!=' | 'notin' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  /** Sorted and without duplicates, as Go's sets.String.List() gives them. */
  values: string[];
}

export class LabelSelectorError extends Error {}

// k8s.io/apimachinery/pkg/api/validate/content: kube.go, dns.go, errors.go
const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE = new RegExp(`^${LABEL_VALUE_FMT}$`);
const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const QUALIFIED_NAME_ERR =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

const maxLenError = (n: number) => `must be no more than ${n} bytes`;

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  const listed = examples.map((e, i) => `${i > 0 ? ' or ' : ''}'${e}', `).join('');
  return `${msg} (e.g. ${listed}regex used for validation is '${fmt}')`;
}

function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (goByteLength(value) > 253) errs.push(maxLenError(253));
  if (!DNS1123_SUBDOMAIN.test(value)) {
    const msg =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    errs.push(regexError(msg, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  }
  return errs;
}

/** IsLabelKey. */
function qualifiedNameErrors(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  if (parts.length > 2) {
    const regex = regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc');
    return [
      `a valid label key ${regex} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix === '') errs.push('prefix part must be non-empty');
    else errs.push(...dns1123SubdomainErrors(prefix).map((m) => `prefix part ${m}`));
  }
  if (name === '') errs.push('name part must be non-empty');
  else if (goByteLength(name) > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!QUALIFIED_NAME.test(name)) {
    errs.push(
      `name part ${regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`,
    );
  }
  return errs;
}

/** IsLabelValue. */
function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (goByteLength(value) > 63) errs.push(maxLenError(63));
  if (!LABEL_VALUE.test(value)) {
    const msg =
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    errs.push(regexError(msg, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  }
  return errs;
}

/** validateLabelKey with Parse's nil field path, which prints as `<nil>`. */
function labelKeyError(key: string, path: string): FieldError | undefined {
  const errs = qualifiedNameErrors(key);
  return errs.length ? invalid(path, key, errs.join('; ')) : undefined;
}

type Token =
  'error' | 'eos' | ')' | ',' | '!' | '==' | '=' | '>' | 'identifier' | 'in' | '<' | '!=' | 'notin' | '(';

const LITERAL_TOKENS = new Map<string, Token>([
  [')', ')'],
  [',', ','],
  ['!', '!'],
  ['==', '=='],
  ['=', '='],
  ['>', '>'],
  ['in', 'in'],
  ['<', '<'],
  ['!=', '!='],
  ['notin', 'notin'],
  ['(', '('],
]);

interface Item {
  token: Token;
  literal: string;
}

const isWhitespace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecialSymbol = (c: string) => '=!(),><'.includes(c);

/**
 * The Lexer, byte by byte as Go reads it: read() gives 0 at the end, so a NUL character ends a token and,
 * where a token would start, the whole selector.
 */
function lex(s: string): Item[] {
  let pos = 0;
  const read = () => (pos < s.length ? s[pos++]! : '\0');
  const items: Item[] = [];
  for (;;) {
    let ch = read();
    while (isWhitespace(ch)) ch = read();
    if (ch === '\0') {
      items.push({ token: 'eos', literal: '' });
      return items;
    }
    pos--;
    let buffer = '';
    if (isSpecialSymbol(ch)) {
      // scanSpecialSymbol: extend while the symbols still make a known operator.
      let last: Item | undefined;
      for (ch = read(); ch !== '\0'; ch = read()) {
        if (!isSpecialSymbol(ch)) {
          pos--;
          break;
        }
        buffer += ch;
        const token = LITERAL_TOKENS.get(buffer);
        if (token) last = { token, literal: buffer };
        else if (last) {
          pos--;
          break;
        }
      }
      items.push(last ?? { token: 'error', literal: `error expected: keyword found '${buffer}'` });
    } else {
      // scanIDOrKeyword
      for (ch = read(); ch !== '\0'; ch = read()) {
        if (isSpecialSymbol(ch) || isWhitespace(ch)) {
          pos--;
          break;
        }
        buffer += ch;
      }
      items.push({ token: LITERAL_TOKENS.get(buffer) ?? 'identifier', literal: buffer });
    }
  }
}

/** The Parser. In value position `in` and `notin` are identifiers ("value in (in)"). */
class Parser {
  private position = 0;
  constructor(private readonly items: Item[]) {}

  private item(consume: boolean, valueContext = true): Item {
    const it = this.items[Math.min(this.position, this.items.length - 1)]!;
    if (consume) this.position++;
    return valueContext && (it.token === 'in' || it.token === 'notin') ? { ...it, token: 'identifier' } : it;
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const { token, literal } = this.item(false);
      if (token === 'eos') return requirements;
      if (token !== 'identifier' && token !== '!') {
        throw new LabelSelectorError(`found '${literal}', expected: !, identifier, or 'end of string'`);
      }
      try {
        requirements.push(this.parseRequirement());
      } catch (err) {
        if (err instanceof LabelSelectorError)
          throw new LabelSelectorError(`unable to parse requirement: ${err.message}`);
        throw err;
      }
      const next = this.item(true);
      if (next.token === 'eos') return requirements;
      if (next.token !== ',')
        throw new LabelSelectorError(`found '${next.literal}', expected: ',' or 'end of string'`);
      const after = this.item(false);
      if (after.token !== 'identifier' && after.token !== '!') {
        throw new LabelSelectorError(`found '${after.literal}', expected: identifier after ','`);
      }
    }
  }

  private parseRequirement(): LabelRequirement {
    let { token, literal } = this.item(true);
    const doesNotExist = token === '!';
    if (doesNotExist) ({ token, literal } = this.item(true));
    if (token !== 'identifier') throw new LabelSelectorError(`found '${literal}', expected: identifier`);
    const keyError = labelKeyError(literal, '<nil>');
    if (keyError) throw new LabelSelectorError(errorMessage(keyError));
    const key = literal;
    const following = this.item(false).token;
    if (doesNotExist || following === 'eos' || following === ',') {
      return newRequirement(key, doesNotExist ? '!' : 'exists', []);
    }
    const operator = this.parseOperator();
    const values = operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, operator, [...new Set(values)].sort(compareGoStrings));
  }

  private parseOperator(): LabelOperator {
    const { token, literal } = this.item(true, false);
    const operators: Partial<Record<Token, LabelOperator>> = {
      in: 'in',
      '=': '=',
      '==': '==',
      '>': 'gt',
      '<': 'lt',
      notin: 'notin',
      '!=': '!=',
    };
    const operator = operators[token];
    if (!operator) throw new LabelSelectorError(`found '${literal}', expected: in, notin, =, ==, !=, gt, lt`);
    return operator;
  }

  private parseValues(): string[] {
    const open = this.item(true);
    if (open.token !== '(') throw new LabelSelectorError(`found '${open.literal}' expected: '('`);
    const { token, literal } = this.item(false);
    if (token === ')') {
      this.position++;
      return [''];
    }
    if (token !== 'identifier' && token !== ',') {
      throw new LabelSelectorError(`found '${literal}', expected: ',', ')' or identifier`);
    }
    const values = this.parseIdentifiersList();
    if (this.item(true).token !== ')') throw new LabelSelectorError(`found '${literal}', expected: ')'`);
    return values;
  }

  /** A possibly empty list of possibly empty identifiers: "(,a)", "(a,)" and "(a,,b)" hold "". */
  private parseIdentifiersList(): string[] {
    const values: string[] = [];
    for (;;) {
      const { token, literal } = this.item(true);
      if (token === 'identifier') {
        values.push(literal);
        const next = this.item(false);
        if (next.token === ')') return values;
        if (next.token !== ',') throw new LabelSelectorError(`found '${next.literal}', expected: ',' or ')'`);
      } else if (token === ',') {
        if (values.length === 0) values.push('');
        const next = this.item(false).token;
        if (next === ')') {
          values.push('');
          return values;
        }
        if (next === ',') values.push('');
      } else throw new LabelSelectorError(`found '${literal}', expected: ',', or identifier`);
    }
  }

  private parseExactValue(): string[] {
    const { token } = this.item(false);
    if (token === 'eos' || token === ',') return [''];
    const value = this.item(true);
    if (value.token === 'identifier') return [value.literal];
    throw new LabelSelectorError(`found '${value.literal}', expected: identifier`);
  }
}

/** NewRequirement's validation, with Parse's nil path: fields print as `values[0][key]`. */
function newRequirement(key: string, operator: LabelOperator, values: string[]): LabelRequirement {
  const errs: FieldError[] = [];
  const keyError = labelKeyError(key, 'key');
  if (keyError) errs.push(keyError);
  if ((operator === 'in' || operator === 'notin') && values.length === 0) {
    errs.push(invalid('values', values, "for 'in', 'notin' operators, values set can't be empty"));
  }
  if (['=', '==', '!='].includes(operator) && values.length !== 1) {
    errs.push(invalid('values', values, 'exact-match compatibility requires one single value'));
  }
  if ((operator === 'exists' || operator === '!') && values.length !== 0) {
    errs.push(invalid('values', values, 'values set must be empty for exists and does not exist'));
  }
  if (operator === 'gt' || operator === 'lt') {
    if (values.length !== 1) {
      errs.push(invalid('values', values, "for 'Gt', 'Lt' operators, exactly one value is required"));
    }
    values.forEach((v, i) => {
      if (!isGoInt64(v)) {
        errs.push(invalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      }
    });
  }
  values.forEach((v, i) => {
    const valueErrs = labelValueErrors(v);
    if (valueErrs.length) errs.push(invalid(`values[${i}][${key}]`, v, valueErrs.join('; ')));
  });
  const aggregate = aggregateMessage(errs);
  if (aggregate !== undefined) throw new LabelSelectorError(aggregate);
  return { key, operator, values };
}

/**
 * labels.Parse(...).Requirements(): sorted by key (a stable sort; Go's is stable only for up to 12
 * requirements). Throws LabelSelectorError with Go's message.
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const requirements = new Parser(lex(selector)).parse();
  return requirements.sort((a, b) => compareGoStrings(a.key, b.key));
}

/** Requirement.Matches, for every requirement (labels.Selector.Matches). */
export function matchesLabels(
  requirements: readonly LabelRequirement[],
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  return requirements.every(({ key, operator, values }) => {
    const has = labels !== undefined && Object.hasOwn(labels, key);
    const value = has ? labels[key]! : undefined;
    switch (operator) {
      case '=':
      case '==':
      case 'in':
        return has && values.includes(value!);
      case '!=':
      case 'notin':
        return !has || !values.includes(value!);
      case 'exists':
        return has;
      case '!':
        return !has;
      case 'gt':
      case 'lt': {
        if (!has || !isGoInt64(value!) || values.length !== 1 || !isGoInt64(values[0]!)) return false;
        const [actual, bound] = [BigInt(value!), BigInt(values[0]!)];
        return operator === 'gt' ? actual > bound : actual < bound;
      }
    }
  });
}
