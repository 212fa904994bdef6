import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { MAX_JSON_DEPTH, isJsonBody, refuseDeepJson } from '../../../src/apiserver/json-body.js';

const check = (text: string) => refuseDeepJson({} as IncomingMessage, undefined, Buffer.from(text));
const nested = (depth: number, open = '[', close = ']') => open.repeat(depth) + close.repeat(depth);

test('JSON nested as deep as apimachinery decodes passes; one level more is a 400 with Go’s words', () => {
  check(nested(MAX_JSON_DEPTH));
  check(`{"a":${'{"b":'.repeat(MAX_JSON_DEPTH - 1)}1${'}'.repeat(MAX_JSON_DEPTH)}`);
  assert.throws(() => check(nested(MAX_JSON_DEPTH + 1)), {
    status: 400,
    type: 'entity.parse.failed',
    message: "invalid character '[' exceeded max depth",
  });
});

test('brackets inside strings, escaped quotes included, do not count', () => {
  const inString = JSON.stringify({ s: `\\"${nested(MAX_JSON_DEPTH + 1, '[', '')}` });
  check(inString);
  check(`["\\\\", ${nested(MAX_JSON_DEPTH - 1)}]`);
});

test('the media type is read up to the first semicolon, however many parameters follow', () => {
  const req = (type: string) => ({ headers: { 'content-type': type } }) as IncomingMessage;
  assert.equal(isJsonBody(req(`Application/JSON;${'x=1;'.repeat(100_000)}`)), true);
  assert.equal(isJsonBody(req('application/apply-patch+yaml; charset=utf-8')), false);
  assert.equal(isJsonBody(req('application/merge-patch+json')), true);
});
