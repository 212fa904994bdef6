import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FieldSelectorError,
  parseFieldSelector,
  requiredExactMatch,
} from '../../../src/apiserver/selectors/field-selector.js';
import {
  LabelSelectorError,
  parseLabelSelector,
  type LabelRequirement,
} from '../../../src/apiserver/selectors/label-selector.js';

test('field selectors parse as fields.ParseSelector: sorted terms, escapes, empty terms dropped', () => {
  const rows: [string, [string, string, string][]][] = [
    ['', []],
    ['a=b', [['a', '=', 'b']]],
    ['a==b', [['a', '=', 'b']]],
    ['a!=b', [['a', '!=', 'b']]],
    [
      'b=1,a=2',
      [
        ['a', '=', '2'],
        ['b', '=', '1'],
      ],
    ],
    ['=', []],
    ['=,', []],
    [',,', []],
    ['a=', [['a', '=', '']]],
    ['=b', [['', '=', 'b']]],
    ['a==', [['a', '=', '']]],
    ['a=!b', [['a', '=', '!b']]],
    ['!a=b', [['!a', '=', 'b']]],
    [' a = b ', [[' a ', '=', ' b ']]],
    ['a=b\\,c', [['a', '=', 'b,c']]],
    ['a=b\\=c', [['a', '=', 'b=c']]],
    ['a=b\\\\c', [['a', '=', 'b\\c']]],
    ['a\\,b=c', [['a\\,b', '=', 'c']]],
    [
      'é=ü,\uffff=1,😀=2',
      [
        ['é', '=', 'ü'],
        ['\uffff', '=', '1'],
        ['😀', '=', '2'],
      ],
    ],
  ];
  for (const [selector, expected] of rows) {
    assert.deepEqual(
      parseFieldSelector(selector).map((r) => [r.field, r.operator, r.value]),
      expected,
      selector,
    );
  }
});

test('field selector errors carry Go messages', () => {
  const rows: [string, string][] = [
    ['a', "invalid selector: 'a'; can't understand 'a'"],
    ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a!==b', 'invalid field selector: unescaped character in value: 61'],
    ['a=b\\c', 'invalid field selector: invalid escape sequence: \\c'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
  ];
  for (const [selector, message] of rows) {
    assert.throws(
      () => parseFieldSelector(selector),
      (err) => err instanceof FieldSelectorError && err.message === message,
      selector,
    );
  }
});

test('RequiresExactMatch finds the first field=value term in sorted order', () => {
  const rows: [string, string | undefined][] = [
    ['metadata.name=n1', 'n1'],
    ['x=1,metadata.name=z,metadata.name=a', 'a'],
    ['metadata.name!=x,metadata.name=y', 'y'],
    ['metadata.name!=x', undefined],
    ['spec.x=1', undefined],
  ];
  for (const [selector, name] of rows) {
    assert.equal(requiredExactMatch(parseFieldSelector(selector), 'metadata.name'), name, selector);
  }
});

const req = (key: string, operator: LabelRequirement['operator'], values: string[] = []) => ({
  key,
  operator,
  values,
});

test('label selectors parse as labels.Parse: operators, value sets sorted and deduplicated, keys sorted', () => {
  const rows: [string, LabelRequirement[]][] = [
    ['', []],
    ['a', [req('a', 'exists')]],
    ['!a', [req('a', '!')]],
    ['a=b', [req('a', '=', ['b'])]],
    ['a==b', [req('a', '==', ['b'])]],
    ['a!=b', [req('a', '!=', ['b'])]],
    ['a in (b,c)', [req('a', 'in', ['b', 'c'])]],
    ['a notin (c,b,b)', [req('a', 'notin', ['b', 'c'])]],
    ['a in ()', [req('a', 'in', [''])]],
    ['a in (,)', [req('a', 'in', [''])]],
    ['a in (b,,c)', [req('a', 'in', ['', 'b', 'c'])]],
    ['a>1', [req('a', 'gt', ['1'])]],
    ['a<2', [req('a', 'lt', ['2'])]],
    ['b=1,a=2', [req('a', '=', ['2']), req('b', '=', ['1'])]],
    ['a,b,!c', [req('a', 'exists'), req('b', 'exists'), req('c', '!')]],
    ['x in (in)', [req('x', 'in', ['in'])]],
    ['in in (notin)', [req('in', 'in', ['notin'])]],
    ['a=', [req('a', '=', [''])]],
    ['a=,b', [req('a', '=', ['']), req('b', 'exists')]],
    ['a  in  ( b , c )', [req('a', 'in', ['b', 'c'])]],
    ['\ta=b\n', [req('a', '=', ['b'])]],
    ['example.com/a=b', [req('example.com/a', '=', ['b'])]],
    [
      'k8s.io/x in (a,b),app=web,!t',
      [req('app', '=', ['web']), req('k8s.io/x', 'in', ['a', 'b']), req('t', '!')],
    ],
    ['b,a,b', [req('a', 'exists'), req('b', 'exists'), req('b', 'exists')]],
    // Go's lexer reads a NUL as the end: it ends the token it follows
    ['a\0=b', [req('a', '=', ['b'])]],
  ];
  for (const [selector, expected] of rows)
    assert.deepEqual(parseLabelSelector(selector), expected, JSON.stringify(selector));
});

test('label selector errors carry Go messages', () => {
  const keyRegex = "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'";
  const rows: [string, string][] = [
    ['a in (b', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['a in b', "unable to parse requirement: found 'b' expected: '('"],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    ['Bad!', "unable to parse requirement: found '!', expected: in, notin, =, ==, !=, gt, lt"],
    [',a', "found ',', expected: !, identifier, or 'end of string'"],
    ['a,', "found '', expected: identifier after ','"],
    // ... and, where a token would start, the whole selector
    ['a=b, \0!!', "found '', expected: identifier after ','"],
    ['a=b,\0!!', "unable to parse requirement: found '!', expected: identifier"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['!a=b', "found '=', expected: ',' or 'end of string'"],
    [
      'a>x',
      "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer",
    ],
    [
      'a>+1',
      `unable to parse requirement: values[0][a]: Invalid value: "+1": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ],
    ['a gt 1', "unable to parse requirement: found 'gt', expected: in, notin, =, ==, !=, gt, lt"],
    [
      'a=-b',
      `unable to parse requirement: values[0][a]: Invalid value: "-b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ],
    [
      'Example.com/a=b',
      `unable to parse requirement: <nil>: Invalid value: "Example.com/a": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ],
    ['/a', `unable to parse requirement: <nil>: Invalid value: "/a": prefix part must be non-empty`],
    [
      'a/b/c=d',
      `unable to parse requirement: <nil>: Invalid value: "a/b/c": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', ${keyRegex}) with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ],
    [
      `${'a'.repeat(64)}`,
      `unable to parse requirement: <nil>: Invalid value: "${'a'.repeat(64)}": name part must be no more than 63 bytes`,
    ],
    [
      `x=${'v'.repeat(64)}`,
      `unable to parse requirement: values[0][x]: Invalid value: "${'v'.repeat(64)}": must be no more than 63 bytes`,
    ],
    [
      'é=b',
      `unable to parse requirement: <nil>: Invalid value: "é": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', ${keyRegex})`,
    ],
  ];
  for (const [selector, message] of rows) {
    assert.throws(
      () => parseLabelSelector(selector),
      (err) => err instanceof LabelSelectorError && err.message === message,
      selector,
    );
  }
});
