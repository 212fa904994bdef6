import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hmacSha256(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** Derives a signing key the way SigV4 and TC3 both do: HMAC the seed with each scope part in turn. */
export function deriveSigningKey(seed: string, scopeParts: readonly string[]): Buffer {
  return scopeParts.reduce<Buffer | string>((key, part) => hmacSha256(key, part), seed) as Buffer;
}

/** Constant-time comparison of two hex signatures of any length. */
export function hexEquals(expected: string, actual: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(actual, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
