import { deriveSigningKey, hexEquals, hmacSha256, sha256Hex } from '../common/crypto.js';
import type { KeyRing, KeySpec } from '../common/credentials.js';
import { firstHeader, splitRawUrl, type SignedRequest } from '../common/request-parts.js';

/** Tencent rejects timestamps more than 5 minutes away from its clock. */
const MAX_SKEW_SECONDS = 300;
const AUTH_PATTERN =
  /^TC3-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)$/;

export interface Tc3Failure {
  code: string;
  message: string;
}

export interface Tc3Result {
  secretId?: string;
  /** e.g. "2026-11-22/cvm/tc3_request"; the service is whatever the client put there (the SDK uses the endpoint's first label). */
  scope?: string;
  key?: KeySpec;
  failure?: Tc3Failure;
}

const fail = (code: string, message: string): Tc3Failure => ({ code, message });

/** Verifies a TC3-HMAC-SHA256 signature as Tencent Cloud API 3.0 recomputes it. */
export function verifyTc3(request: SignedRequest, keys: KeyRing, now = Date.now()): Tc3Result {
  const header = firstHeader(request, 'authorization');
  const match = header === undefined ? null : AUTH_PATTERN.exec(header);
  if (!match) {
    return {
      failure: fail(
        'AuthFailure.InvalidAuthorization',
        'The Authorization header is missing or not a TC3-HMAC-SHA256 signature.',
      ),
    };
  }
  const [, credential, signedHeaderList, signature] = match as unknown as [string, string, string, string];
  const [secretId, date, service, terminator, ...extra] = credential.split('/');
  const scope = [date, service, terminator].join('/');
  const result: Tc3Result = { secretId, scope };
  if (!secretId || !date || !service || terminator !== 'tc3_request' || extra.length > 0) {
    return {
      ...result,
      failure: fail('AuthFailure.InvalidAuthorization', `The credential scope ${scope} is malformed.`),
    };
  }
  const key = keys.get(secretId);
  if (!key) {
    return {
      ...result,
      failure: fail(
        'AuthFailure.SecretIdNotFound',
        'The SecretId is not found, please ensure that your SecretId is correct.',
      ),
    };
  }
  const timestampText = firstHeader(request, 'x-tc-timestamp') ?? '';
  const timestamp = /^\d+$/.test(timestampText) ? Number(timestampText) : NaN;
  const nowSeconds = Math.floor(now / 1000);
  if (!(Math.abs(nowSeconds - timestamp) <= MAX_SKEW_SECONDS)) {
    return {
      ...result,
      failure: fail(
        'AuthFailure.SignatureExpire',
        `Signature expired. Timestamp:${timestampText}, current server time:${nowSeconds}.`,
      ),
    };
  }
  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('content-type') || !signedHeaders.includes('host')) {
    return {
      ...result,
      failure: fail('AuthFailure.InvalidAuthorization', 'SignedHeaders must include content-type and host.'),
    };
  }
  const expected = hmacSha256(
    deriveSigningKey(`TC3${key.secret}`, [date, service, 'tc3_request']),
    ['TC3-HMAC-SHA256', timestampText, scope, sha256Hex(canonicalRequest(request, signedHeaders))].join('\n'),
  ).toString('hex');
  // The date in the scope must be the UTC date of the timestamp.
  if (date !== utcDate(timestamp) || !hexEquals(expected, signature)) {
    return {
      ...result,
      failure: fail(
        'AuthFailure.SignatureFailure',
        'The provided credentials could not be validated. Please check your signature is correct.',
      ),
    };
  }
  if (firstHeader(request, 'x-tc-token') !== key.sessionToken) {
    return {
      ...result,
      failure: fail('AuthFailure.TokenFailure', 'The provided Token is invalid or expired.'),
    };
  }
  return { ...result, key };
}

export function canonicalRequest(request: SignedRequest, signedHeaders: string[]): string {
  const { path, query } = splitRawUrl(request.rawUrl);
  const headerLines = signedHeaders.map(
    (name) => `${name}:${canonicalHeaderValue(name, request.headersDistinct[name])}\n`,
  );
  return [
    request.method,
    path,
    query,
    headerLines.join(''),
    signedHeaders.join(';'),
    sha256Hex(request.body),
  ].join('\n');
}

/** Header values are lower-cased and trimmed; host is signed without its port (the client signs the URL hostname). */
function canonicalHeaderValue(name: string, values: string[] | undefined): string {
  const value = (values ?? []).join(',').trim().toLowerCase();
  return name === 'host' ? hostnameOf(value) : value;
}

function hostnameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}

function utcDate(timestampSeconds: number): string {
  return new Date(timestampSeconds * 1000).toISOString().slice(0, 10);
}
