import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  STANDARD_REQUEST_HEADERS,
  checkAllowedNames,
  headersToStrip,
  userFromHeaders,
  type HeadersDistinct,
  type RequestHeaderNames,
} from '../../../src/auth/request-header.js';
import type { UserInfo } from '../../../src/auth/user-info.js';

const names = (n: Partial<RequestHeaderNames>): RequestHeaderNames => ({
  usernameHeaders: [],
  uidHeaders: [],
  groupHeaders: [],
  extraHeaderPrefixes: [],
  ...n,
});

/** Node's req.headersDistinct: lowercase names, one entry per header line. */
const distinct = (headers: Record<string, string[]>): HeadersDistinct =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

test('the user is read from the headers as requestheader_test.go expects', () => {
  const rows: [string, RequestHeaderNames, Record<string, string[]>, UserInfo | undefined][] = [
    ['empty', names({}), {}, undefined],
    ['user no match', names({ usernameHeaders: ['X-Remote-User'] }), {}, undefined],
    [
      'user match',
      names({ usernameHeaders: ['X-Remote-User'] }),
      { 'X-Remote-User': ['Bob'] },
      { name: 'Bob', groups: [], extra: {} },
    ],
    [
      'user exact match',
      names({ usernameHeaders: ['X-Remote-User'] }),
      { 'Prefixed-X-Remote-User-With-Suffix': ['Bob'], 'X-Remote-User-With-Suffix': ['Bob'] },
      undefined,
    ],
    [
      'user first match: only the first value of each header counts',
      names({ usernameHeaders: ['X-Remote-User', 'A-Second-X-Remote-User', 'Another-X-Remote-User'] }),
      {
        'X-Remote-User': ['', 'First header, second value'],
        'A-Second-X-Remote-User': ['Second header, first value', 'Second header, second value'],
        'Another-X-Remote-User': ['Third header, first value'],
      },
      { name: 'Second header, first value', groups: [], extra: {} },
    ],
    [
      'user case-insensitive',
      names({ usernameHeaders: ['x-REMOTE-user'] }),
      { 'X-Remote-User': ['Bob'] },
      { name: 'Bob', groups: [], extra: {} },
    ],
    [
      'groups: every non-empty value of every line, never split on commas',
      names({ usernameHeaders: ['X-Remote-User'], groupHeaders: ['X-Remote-Group-1', 'X-REMOTE-Group-2'] }),
      {
        'X-Remote-User': ['Bob'],
        'X-Remote-Group-1': ['one-a', 'one-b'],
        'X-Remote-Group-2': ['two-a', '', 'two-b, two-c'],
      },
      { name: 'Bob', groups: ['one-a', 'one-b', 'two-a', 'two-b, two-c'], extra: {} },
    ],
    [
      'uid: the first non-empty first value',
      names({ usernameHeaders: ['X-Remote-User'], uidHeaders: ['X-Remote-Uid', 'X-Other-Uid'] }),
      { 'X-Remote-User': ['Bob'], 'X-Remote-Uid': ['', 'ignored'], 'X-Other-Uid': ['u-1'] },
      { name: 'Bob', uid: 'u-1', groups: [], extra: {} },
    ],
    [
      'extra prefix matches case-insensitive, prefixes in order',
      names({
        usernameHeaders: ['X-Remote-User'],
        groupHeaders: ['X-Remote-Group-1', 'X-Remote-Group-2'],
        extraHeaderPrefixes: ['X-Remote-Extra-1-', 'X-Remote-Extra-2-'],
      }),
      {
        'X-Group-Remote': ['snorlax'],
        'X-Remote-User': ['Bob'],
        'X-Remote-Group-1': ['one-a', 'one-b'],
        'X-Remote-Group-2': ['two-a', 'two-b'],
        'X-Remote-extra-1-key1': ['alfa', 'bravo'],
        'X-Remote-Extra-1-Key2': ['charlie', 'delta'],
        'X-Remote-Extra-1-': ['india', 'juliet'],
        'X-Remote-extra-2-': ['kilo', 'lima'],
        'X-Remote-extra-2-Key1': ['echo', 'foxtrot'],
        'X-Remote-Extra-2-key2': ['golf', 'hotel'],
      },
      {
        name: 'Bob',
        groups: ['one-a', 'one-b', 'two-a', 'two-b'],
        extra: {
          key1: ['alfa', 'bravo', 'echo', 'foxtrot'],
          key2: ['charlie', 'delta', 'golf', 'hotel'],
          '': ['india', 'juliet', 'kilo', 'lima'],
        },
      },
    ],
    [
      'escaped extra keys: lowercased, then percent-decoded, kept raw when that fails',
      names({ usernameHeaders: ['X-Remote-User'], extraHeaderPrefixes: ['X-Remote-Extra-'] }),
      {
        'X-Remote-User': ['Bob'],
        'X-Remote-Extra-Alpha': ['alphabetical'],
        'X-Remote-Extra-Alph4num3r1c': ['alphanumeric'],
        'X-Remote-Extra-Percent%20encoded': ['percent encoded'],
        'X-Remote-Extra-Almost%zzpercent%xxencoded': ['not quite percent encoded'],
        'X-Remote-Extra-Example.com%2fpercent%2520encoded': ['url with double percent encoding'],
        'X-Remote-Extra-Example.com%2F%E4%BB%8A%E6%97%A5%E3%81%AF': ['url with unicode'],
        "X-Remote-Extra-Abc123!#$+.-_*\\^`~|'": ['header key legal characters'],
        'X-Remote-Extra-Authentication.kubernetes.io%2fpod-Name': ['p1', 'p2'],
      },
      {
        name: 'Bob',
        groups: [],
        extra: {
          alpha: ['alphabetical'],
          alph4num3r1c: ['alphanumeric'],
          'percent encoded': ['percent encoded'],
          'almost%zzpercent%xxencoded': ['not quite percent encoded'],
          'example.com/percent%20encoded': ['url with double percent encoding'],
          'example.com/今日は': ['url with unicode'],
          "abc123!#$+.-_*\\^`~|'": ['header key legal characters'],
          'authentication.kubernetes.io/pod-name': ['p1', 'p2'],
        },
      },
    ],
  ];
  for (const [name, headerNames, headers, expected] of rows) {
    assert.deepEqual(userFromHeaders(distinct(headers), headerNames), expected, name);
  }
});

test('the allowed names are compared exactly; an empty list allows any CN', () => {
  const rows: [string, string[], string | undefined][] = [
    ['front-proxy-client', [], undefined],
    ['anyone', [], undefined],
    ['front-proxy-client', ['front-proxy-client'], undefined],
    ['front-proxy-client', ['other', 'front-proxy-client'], undefined],
    [
      'Front-Proxy-Client',
      ['front-proxy-client'],
      'x509: subject with cn=Front-Proxy-Client is not in the allowed list',
    ],
    [
      'front-proxy-client ',
      ['front-proxy-client'],
      'x509: subject with cn=front-proxy-client  is not in the allowed list',
    ],
    ['', ['front-proxy-client'], 'x509: subject with cn= is not in the allowed list'],
  ];
  for (const [cn, allowed, error] of rows)
    assert.equal(checkAllowedNames(cn, allowed), error, `${cn} ${allowed}`);
});

test('after any authentication the standard and configured identity headers and Authorization go', () => {
  const present = [
    'host',
    'authorization',
    'x-remote-user',
    'x-remote-uid',
    'x-remote-group',
    'x-remote-extra-scopes',
    'x-remote-extra-',
    'x-remote-user-agent',
    'x-proxy-user',
    'x-proxy-extra-a',
    'accept',
  ];
  assert.deepEqual(headersToStrip(present), [
    'authorization',
    'x-remote-user',
    'x-remote-uid',
    'x-remote-group',
    'x-remote-extra-scopes',
    'x-remote-extra-',
  ]);
  const configured = names({ usernameHeaders: ['X-Proxy-User'], extraHeaderPrefixes: ['X-Proxy-Extra-'] });
  assert.deepEqual(headersToStrip(present, configured), [
    'authorization',
    'x-remote-user',
    'x-remote-uid',
    'x-remote-group',
    'x-remote-extra-scopes',
    'x-remote-extra-',
    'x-proxy-user',
    'x-proxy-extra-a',
  ]);
  assert.deepEqual(STANDARD_REQUEST_HEADERS.usernameHeaders, ['X-Remote-User']);
});
