import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bearerToken,
  tokenReviewJson,
  tokenReviewRequest,
  userFromTokenReview,
} from '../../../src/auth/bearer-token.js';

test('the bearer token is read as bearertoken.go reads it', () => {
  const rows: [string | string[] | undefined, string | undefined][] = [
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['BEARER abc', 'abc'],
    ['  Bearer abc  ', 'abc'],
    ['Bearer abc def', 'abc'],
    ['Bearer  abc', undefined],
    ['Bearer', undefined],
    ['Bearer ', undefined],
    ['Bearer\tabc', undefined],
    ['Basic abc', undefined],
    ['abc', undefined],
    ['', undefined],
    [undefined, undefined],
    [['Bearer x', 'Bearer y'], 'x'],
    [[], undefined],
  ];
  for (const [header, token] of rows) assert.equal(bearerToken(header), token, JSON.stringify(header));
});

test('the TokenReview request is what client-go sends', () => {
  assert.equal(
    tokenReviewJson(tokenReviewRequest('a<b>')),
    '{"kind":"TokenReview","apiVersion":"authentication.k8s.io/v1","metadata":{},"spec":{"token":"a\\u003cb\\u003e"},"status":{"user":{}}}\n',
  );
  assert.deepEqual(tokenReviewRequest('t', ['api']).spec, { token: 't', audiences: ['api'] });
});

test('the TokenReview answer becomes a user or the error of a 401', () => {
  const rows: [Parameters<typeof userFromTokenReview>[0], ReturnType<typeof userFromTokenReview>][] = [
    [
      {
        status: {
          authenticated: true,
          user: { username: 'bob', uid: 'u', groups: ['g'], extra: { k: ['v'] } },
        },
      },
      { user: { name: 'bob', uid: 'u', groups: ['g'], extra: { k: ['v'] } } },
    ],
    [
      { status: { authenticated: true, user: { username: 'bob' } } },
      { user: { name: 'bob', groups: [], extra: {} } },
    ],
    [{ status: { authenticated: false } }, { error: 'invalid bearer token' }],
    [{ status: { authenticated: false, error: 'token expired' } }, { error: 'token expired' }],
    [{}, { error: 'invalid bearer token' }],
  ];
  for (const [review, expected] of rows)
    assert.deepEqual(userFromTokenReview(review), expected, JSON.stringify(review));
});
