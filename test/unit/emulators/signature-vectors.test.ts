import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toKeyRing } from '../../emulators/common/credentials.js';
import { verifySigV4 } from '../../emulators/ec2/sigv4-verifier.js';
import { verifyTc3 } from '../../emulators/tencent/tc3-verifier.js';

// Vectors from the cloud API reference, computed by the SDKs' signers and an independent implementation.

const SIGV4_BODY = 'Action=RebootInstances&Version=2016-11-15&InstanceId.1=i-0123456789abcdef0';
const SIGV4_REQUEST = {
  method: 'POST',
  rawUrl: '/',
  body: Buffer.from(SIGV4_BODY),
  headersDistinct: {
    host: ['127.0.0.1:4566'],
    'content-type': ['application/x-www-form-urlencoded'],
    'x-amz-content-sha256': ['4a6c73fb4bd60c6f00f45c22f88c6d7bc1f0e128d270451bfd70b043b334ca86'],
    'x-amz-date': ['20240101T000000Z'],
    authorization: [
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/ec2/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=9d1fa169d7508d0ec8bc0d64be47427530c068e7bd5050166080a5cbb5947868',
    ],
  },
};
const AWS_KEYS = toKeyRing({ AKIDEXAMPLE: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' });
const AT_2024 = Date.parse('2024-01-01T00:00:00Z');

test('SigV4: the reference vector verifies, with region and scope taken from the credential', () => {
  const result = verifySigV4(SIGV4_REQUEST, AWS_KEYS, 'ec2', AT_2024);
  assert.equal(result.failure, undefined);
  assert.equal(result.accessKeyId, 'AKIDEXAMPLE');
  assert.equal(result.region, 'us-east-1');
  assert.equal(result.scope, '20240101/us-east-1/ec2/aws4_request');
});

test('SigV4: any change to a signed header, the body or the secret breaks the signature', () => {
  const other = (patch: Record<string, string[]>, body = SIGV4_REQUEST.body) =>
    verifySigV4(
      { ...SIGV4_REQUEST, body, headersDistinct: { ...SIGV4_REQUEST.headersDistinct, ...patch } },
      AWS_KEYS,
      'ec2',
      AT_2024,
    ).failure?.code;
  assert.equal(other({ host: ['127.0.0.1:4567'] }), 'SignatureDoesNotMatch');
  assert.equal(other({}, Buffer.from(SIGV4_BODY.replace('abcdef0', 'abcdef1'))), 'SignatureDoesNotMatch');
  const wrongSecret = verifySigV4(SIGV4_REQUEST, toKeyRing({ AKIDEXAMPLE: 'other' }), 'ec2', AT_2024);
  assert.equal(wrongSecret.failure?.code, 'SignatureDoesNotMatch');
  assert.equal(wrongSecret.failure?.status, 403);
  // An unsigned header may change freely.
  assert.equal(other({ 'user-agent': ['anything'] }), undefined);
});

test('SigV4: unknown keys, wrong service, stale dates and missing Authorization have their own codes', () => {
  assert.equal(verifySigV4(SIGV4_REQUEST, toKeyRing({}), 'ec2', AT_2024).failure?.code, 'AuthFailure');
  assert.equal(verifySigV4(SIGV4_REQUEST, AWS_KEYS, 'sts', AT_2024).failure?.code, 'SignatureDoesNotMatch');
  assert.equal(
    verifySigV4(SIGV4_REQUEST, AWS_KEYS, 'ec2', AT_2024 + 16 * 60_000).failure?.code,
    'RequestExpired',
  );
  assert.equal(verifySigV4(SIGV4_REQUEST, AWS_KEYS, 'ec2', AT_2024 + 14 * 60_000).failure, undefined);
  const unsigned: Record<string, string[]> = { ...SIGV4_REQUEST.headersDistinct };
  delete unsigned['authorization'];
  assert.equal(
    verifySigV4({ ...SIGV4_REQUEST, headersDistinct: unsigned }, AWS_KEYS, 'ec2', AT_2024).failure?.code,
    'MissingParameter',
  );
});

const TC3_BODY = '{"InstanceIds":["ins-r8hr2upy"],"StopType":"SOFT"}';
const TC3_REQUEST = {
  method: 'POST',
  rawUrl: '/',
  body: Buffer.from(TC3_BODY),
  headersDistinct: {
    host: ['cvm.tencentcloudapi.com'],
    'content-type': ['application/json'],
    'x-tc-timestamp': ['1700000000'],
    authorization: [
      'TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2023-11-14/cvm/tc3_request, SignedHeaders=content-type;host, Signature=b81fa1855bdd84a6e5af1f747169149322fe9f460d8cb71de6826611e20a3de1',
    ],
  },
};
const TENCENT_KEYS = toKeyRing({ AKIDEXAMPLE: 'SECRETEXAMPLE' });
const AT_TC3 = 1_700_000_000_000;

test('TC3: the reference vector verifies; the port in Host is not part of the signature', () => {
  assert.equal(verifyTc3(TC3_REQUEST, TENCENT_KEYS, AT_TC3).failure, undefined);
  assert.equal(verifyTc3(TC3_REQUEST, TENCENT_KEYS, AT_TC3).scope, '2023-11-14/cvm/tc3_request');
  const withPort = {
    ...TC3_REQUEST,
    headersDistinct: { ...TC3_REQUEST.headersDistinct, host: ['cvm.tencentcloudapi.com:8443'] },
  };
  assert.equal(verifyTc3(withPort, TENCENT_KEYS, AT_TC3).failure, undefined);
});

test('TC3: tampering, unknown SecretIds, skew beyond 5 minutes and missing tokens each get their AuthFailure code', () => {
  const tampered = { ...TC3_REQUEST, body: Buffer.from(TC3_BODY.replace('SOFT', 'HARD')) };
  assert.equal(verifyTc3(tampered, TENCENT_KEYS, AT_TC3).failure?.code, 'AuthFailure.SignatureFailure');
  assert.equal(
    verifyTc3(TC3_REQUEST, toKeyRing({ AKIDEXAMPLE: 'other' }), AT_TC3).failure?.code,
    'AuthFailure.SignatureFailure',
  );
  assert.equal(verifyTc3(TC3_REQUEST, toKeyRing({}), AT_TC3).failure?.code, 'AuthFailure.SecretIdNotFound');
  assert.equal(
    verifyTc3(TC3_REQUEST, TENCENT_KEYS, AT_TC3 + 301_000).failure?.code,
    'AuthFailure.SignatureExpire',
  );
  assert.equal(verifyTc3(TC3_REQUEST, TENCENT_KEYS, AT_TC3 - 299_000).failure, undefined);
  const needsToken = toKeyRing({ AKIDEXAMPLE: { secret: 'SECRETEXAMPLE', sessionToken: 't' } });
  assert.equal(verifyTc3(TC3_REQUEST, needsToken, AT_TC3).failure?.code, 'AuthFailure.TokenFailure');
  const skip = {
    ...TC3_REQUEST,
    headersDistinct: { ...TC3_REQUEST.headersDistinct, authorization: ['SKIP'] },
  };
  assert.equal(verifyTc3(skip, TENCENT_KEYS, AT_TC3).failure?.code, 'AuthFailure.InvalidAuthorization');
});
