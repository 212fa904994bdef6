// The parts of an X.509 certificate that Go's crypto/x509 verification and k8s.io/apiserver's user
// conversion read, parsed once per certificate object: raw subject and issuer DER (chains are built by byte
// equality of names), names, validity, and the CA, key usage and key identifier extensions.
import 'reflect-metadata';
import type { X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';

export interface ParsedCertificate {
  readonly cert: X509Certificate;
  readonly rawSubject: Buffer;
  readonly rawIssuer: Buffer;
  readonly version: number;
  /** OID of the outer signatureAlgorithm. */
  readonly signatureAlgorithm: string;
  /** The last CN of the subject, as pkix.Name.CommonName. */
  readonly commonName: string;
  /** Every O of the subject, in order. */
  readonly organizations: string[];
  /** Every Kubernetes UID attribute (1.3.6.1.4.1.57683.2, asn1util.X509UID) of the subject, in order. */
  readonly uids: string[];
  readonly serialNumber: bigint;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly basicConstraintsValid: boolean;
  readonly isCA: boolean;
  /** -1 when the CA sets no path length. */
  readonly maxPathLen: number;
  /** KeyUsage bits as Go numbers them (certSign = 32); 0 when absent. */
  readonly keyUsage: number;
  /** Extended key usage OIDs, known or not. */
  readonly extKeyUsage: string[];
  readonly subjectKeyId: string;
  readonly authorityKeyId: string;
  /** The subjectAltName extension value, compared raw when looking for loops in a chain. */
  readonly subjectAltName?: Buffer;
  readonly hasUnhandledCriticalExtension: boolean;
}

interface Tlv {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

function readTlv(der: Buffer, offset: number): Tlv {
  let length = der[offset + 1]!;
  let p = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[p++]!;
  }
  return { tag: der[offset]!, start: offset, contentStart: p, end: p + length };
}

function children(der: Buffer, tlv: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let p = tlv.contentStart; p < tlv.end;) {
    const child = readTlv(der, p);
    out.push(child);
    p = child.end;
  }
  return out;
}

function decodeOid(bytes: Buffer): string {
  const arcs: number[] = [];
  let value = 0;
  for (const b of bytes) {
    value = value * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  const [first = 0, ...rest] = arcs;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...rest].join('.');
}

function twosComplement(bytes: Buffer): bigint {
  const unsigned = BigInt(`0x${bytes.toString('hex') || '0'}`);
  return bytes.length && bytes[0]! & 0x80 ? unsigned - (1n << BigInt(bytes.length * 8)) : unsigned;
}

const content = (der: Buffer, tlv: Tlv) => der.subarray(tlv.contentStart, tlv.end);

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature } (RFC 5280 4.1). */
function parseDer(der: Buffer) {
  const [tbs, signatureAlgorithm] = children(der, readTlv(der, 0)) as [Tlv, Tlv];
  const fields = children(der, tbs);
  let version = 1;
  if (fields[0]!.tag === 0xa0) {
    version = Number(twosComplement(content(der, children(der, fields.shift()!)[0]!))) + 1;
  }
  const [serial, , issuer, , subject] = fields as [Tlv, Tlv, Tlv, Tlv, Tlv];
  return {
    version,
    serialNumber: twosComplement(content(der, serial)),
    rawIssuer: der.subarray(issuer.start, issuer.end),
    rawSubject: der.subarray(subject.start, subject.end),
    signatureAlgorithm: decodeOid(content(der, children(der, signatureAlgorithm)[0]!)),
  };
}

const SUBJECT_ALT_NAME = '2.5.29.17';
const UID_ATTRIBUTE = '1.3.6.1.4.1.57683.2';
// Extensions crypto/x509 (Go 1.26 parser.go) understands; a critical one outside this list fails verification.
const HANDLED_EXTENSIONS = new Set([
  '2.5.29.14',
  '2.5.29.15',
  SUBJECT_ALT_NAME,
  '2.5.29.19',
  '2.5.29.30',
  '2.5.29.31',
  '2.5.29.32',
  '2.5.29.33',
  '2.5.29.35',
  '2.5.29.36',
  '2.5.29.37',
  '2.5.29.54',
  '1.3.6.1.5.5.7.1.1',
]);
const GO_SAN_TYPES = new Set(['dns', 'email', 'ip', 'url']);

function isUnhandledCritical(ext: x509.Extension): boolean {
  if (!ext.critical) return false;
  if (ext.type !== SUBJECT_ALT_NAME) return !HANDLED_EXTENSIONS.has(ext.type);
  // A subjectAltName with no DNS, email, IP or URI entry is left for the critical check.
  const names = ext instanceof x509.SubjectAlternativeNameExtension ? ext.names.items : [];
  return !names.some((n) => GO_SAN_TYPES.has(n.type));
}

const parsed = new WeakMap<X509Certificate, ParsedCertificate>();
/**
 * By content too: each new connection brings new objects for the same certificates (the front proxy presents one
 * certificate on all its connections), and parsing one costs milliseconds. Bounded: emptied when full.
 */
const parsedByFingerprint = new Map<string, ParsedCertificate>();
const MAX_PARSED = 1024;

export function parseCertificate(cert: X509Certificate): ParsedCertificate {
  const cached = parsed.get(cert);
  if (cached) return cached;
  const fingerprint = cert.fingerprint256;
  const same = parsedByFingerprint.get(fingerprint);
  if (same && same.cert.raw.equals(cert.raw)) {
    parsed.set(cert, same);
    return same;
  }
  if (parsedByFingerprint.size >= MAX_PARSED) parsedByFingerprint.clear();
  const result = parseUncached(cert);
  parsed.set(cert, result);
  parsedByFingerprint.set(fingerprint, result);
  return result;
}

function parseUncached(cert: X509Certificate): ParsedCertificate {
  const der = parseDer(cert.raw);
  const view = new x509.X509Certificate(cert.raw);
  const basic = view.getExtension(x509.BasicConstraintsExtension);
  const san = view.extensions.find((e) => e.type === SUBJECT_ALT_NAME);
  return {
    cert,
    ...der,
    commonName: view.subjectName.getField('CN').at(-1) ?? '',
    organizations: view.subjectName.getField('O'),
    uids: view.subjectName.getField(UID_ATTRIBUTE),
    notBefore: view.notBefore,
    notAfter: view.notAfter,
    basicConstraintsValid: basic !== null,
    isCA: basic?.ca ?? false,
    maxPathLen: basic?.pathLength ?? -1,
    keyUsage: view.getExtension(x509.KeyUsagesExtension)?.usages ?? 0,
    extKeyUsage: (view.getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? []).map(String),
    subjectKeyId: view.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId ?? '',
    authorityKeyId: view.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId ?? '',
    subjectAltName: san && Buffer.from(san.value),
    hasUnhandledCriticalExtension: view.extensions.some(isUnhandledCritical),
  };
}
