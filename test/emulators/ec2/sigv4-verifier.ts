import { deriveSigningKey, hexEquals, hmacSha256, sha256Hex } from '../common/crypto.js';
import type { KeyRing, KeySpec } from '../common/credentials.js';
import { firstHeader, splitRawUrl, type SignedRequest } from '../common/request-parts.js';

/** AWS rejects requests whose x-amz-date is more than 15 minutes away from its clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;
const AUTH_PATTERN =
  /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)$/;

export interface AuthFailure {
  code: string;
  message: string;
  status: number;
}

/** Who signed, as far as the Authorization header tells, and whether the signature holds. */
export interface SigV4Result {
  accessKeyId?: string;
  region?: string;
  scope?: string;
  key?: KeySpec;
  failure?: AuthFailure;
}

const fail = (code: string, message: string, status: number): AuthFailure => ({ code, message, status });

/** Verifies an AWS Signature Version 4 header signature the way the service recomputes it. */
export function verifySigV4(
  request: SignedRequest,
  keys: KeyRing,
  service: string,
  now = Date.now(),
): SigV4Result {
  const header = firstHeader(request, 'authorization');
  if (header === undefined) {
    return {
      failure: fail('MissingParameter', 'The request must contain the parameter AWSAccessKeyId', 400),
    };
  }
  const match = AUTH_PATTERN.exec(header);
  if (!match) {
    return {
      failure: fail(
        'IncompleteSignature',
        'Authorization header is not a valid AWS4-HMAC-SHA256 header',
        400,
      ),
    };
  }
  const [, credential, signedHeaderList, signature] = match as unknown as [string, string, string, string];
  const [accessKeyId, date, region, scopeService, terminator, ...extra] = credential.split('/');
  const scope = [date, region, scopeService, terminator].join('/');
  const result: SigV4Result = { accessKeyId, region, scope };
  if (!accessKeyId || !date || !region || terminator !== 'aws4_request' || extra.length > 0) {
    return {
      ...result,
      failure: fail('IncompleteSignature', `Credential scope is malformed: ${scope}`, 400),
    };
  }
  const key = keys.get(accessKeyId);
  if (!key) {
    return {
      ...result,
      failure: fail('AuthFailure', 'AWS was not able to validate the provided access credentials', 401),
    };
  }
  if (scopeService !== service) {
    return {
      ...result,
      failure: fail(
        'SignatureDoesNotMatch',
        `Credential should be scoped to correct service: '${service}'.`,
        403,
      ),
    };
  }
  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host')) {
    return {
      ...result,
      failure: fail(
        'IncompleteSignature',
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        400,
      ),
    };
  }
  const amzDate = firstHeader(request, 'x-amz-date');
  if (amzDate === undefined || !/^\d{8}T\d{6}Z$/.test(amzDate)) {
    return {
      ...result,
      failure: fail(
        'IncompleteSignature',
        "Authorization header requires existence of a valid 'X-Amz-Date' header.",
        400,
      ),
    };
  }
  if (amzDate.slice(0, 8) !== date) {
    return {
      ...result,
      failure: fail(
        'SignatureDoesNotMatch',
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${amzDate.slice(0, 8)}'`,
        403,
      ),
    };
  }
  if (Math.abs(now - parseAmzDate(amzDate)) > MAX_SKEW_MS) {
    return { ...result, failure: fail('RequestExpired', 'Request has expired.', 400) };
  }
  const payloadHash = sha256Hex(request.body);
  const declaredHash = firstHeader(request, 'x-amz-content-sha256');
  if (declaredHash !== undefined && declaredHash !== payloadHash) {
    return {
      ...result,
      failure: fail(
        'SignatureDoesNotMatch',
        'The provided x-amz-content-sha256 header does not match what was computed.',
        403,
      ),
    };
  }
  let canonical: string;
  try {
    canonical = canonicalRequest(request, signedHeaders, payloadHash);
  } catch {
    canonical = ''; // undecodable path or query: no signature can match it
  }
  const expected = signature4(key.secret, {
    canonicalRequest: canonical,
    amzDate,
    scope,
    scopeParts: [date, region, service, 'aws4_request'],
  });
  if (canonical === '' || !hexEquals(expected, signature)) {
    return {
      ...result,
      failure: fail(
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
        403,
      ),
    };
  }
  const token = firstHeader(request, 'x-amz-security-token');
  const tokenSigned = signedHeaders.includes('x-amz-security-token');
  if (token !== key.sessionToken || (token !== undefined && !tokenSigned)) {
    return {
      ...result,
      failure: fail('AuthFailure', 'The security token included in the request is invalid.', 401),
    };
  }
  return { ...result, key };
}

interface StringToSignParts {
  canonicalRequest: string;
  amzDate: string;
  scope: string;
  scopeParts: string[];
}

function signature4(secret: string, parts: StringToSignParts): string {
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    parts.amzDate,
    parts.scope,
    sha256Hex(parts.canonicalRequest),
  ].join('\n');
  return hmacSha256(deriveSigningKey(`AWS4${secret}`, parts.scopeParts), stringToSign).toString('hex');
}

export function canonicalRequest(
  request: SignedRequest,
  signedHeaders: string[],
  payloadHash: string,
): string {
  const { path, query } = splitRawUrl(request.rawUrl);
  const headerLines = signedHeaders.map(
    (name) => `${name}:${canonicalHeaderValue(request.headersDistinct[name])}\n`,
  );
  return [
    request.method,
    canonicalPath(path),
    canonicalQuery(query),
    headerLines.join(''),
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

/** Non-S3 services normalize the path and URI-encode each segment. */
function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '..') segments.pop();
    else if (segment !== '.' && segment !== '') segments.push(encodeRfc3986(decodeURIComponent(segment)));
  }
  const trailing = path.endsWith('/') && segments.length > 0 ? '/' : '';
  return `/${segments.join('/')}${trailing}`;
}

function canonicalQuery(query: string): string {
  if (query === '') return '';
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const [k, v] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
      return [encodeRfc3986(decodeForm(k)), encodeRfc3986(decodeForm(v))] as const;
    })
    .filter(([k]) => k !== 'X-Amz-Signature')
    .sort(([ka, va], [kb, vb]) => (ka === kb ? compare(va, vb) : compare(ka, kb)))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function canonicalHeaderValue(values: string[] | undefined): string {
  return (values ?? []).map((v) => v.trim().replace(/\s+/g, ' ')).join(',');
}

function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function decodeForm(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, '%20'));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function parseAmzDate(amzDate: string): number {
  const iso = `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`;
  return Date.parse(iso);
}
