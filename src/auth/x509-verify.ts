// Client certificate verification as Go's crypto/x509 Certificate.Verify does it for k8s.io/apiserver
// (x509.go: Roots = the CA bundle, Intermediates = the other peer certificates, KeyUsages = [clientAuth];
// Go 1.26): the same chain building, validity, CA, path length and extended key usage rules, and the same
// error texts. Name constraints and certificate policies are not enforced: the identity comes from the
// subject, which neither limits.
import type { X509Certificate } from 'node:crypto';
import { goQuote } from '../apiserver/go-format.js';
import { parseCertificate, type ParsedCertificate } from './x509-certificate.js';

export type VerifyResult = { ok: true } | { ok: false; error: string };

export interface VerifyOptions {
  /** The time to verify at (Go's CurrentTime). */
  now: Date;
  /** The extended key usage required of the whole chain; `any` skips the check (ExtKeyUsageAny). */
  usage: 'clientAuth' | 'any';
}

const EKU_ANY = '2.5.29.37.0';
const EKU_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const KEY_USAGE_CERT_SIGN = 32;
const MAX_CHAIN_SIGNATURE_CHECKS = 100;

type CertType = 'leaf' | 'intermediate' | 'root';

// Signature algorithm OIDs Go verifies: the public key algorithm each needs, and Go's name for the insecure
// ones. Any other (MD2 included) is "algorithm unimplemented".
const RSA = 'RSA';
const ECDSA = 'ECDSA';
const ED25519 = 'Ed25519';
const SIGNATURE_ALGORITHMS = new Map<string, { key: string; insecure?: string }>([
  ['1.2.840.113549.1.1.4', { key: RSA, insecure: 'MD5-RSA' }],
  ['1.2.840.113549.1.1.5', { key: RSA, insecure: 'SHA1-RSA' }],
  ['1.2.840.113549.1.1.10', { key: RSA }],
  ['1.2.840.113549.1.1.11', { key: RSA }],
  ['1.2.840.113549.1.1.12', { key: RSA }],
  ['1.2.840.113549.1.1.13', { key: RSA }],
  ['1.2.840.10045.4.1', { key: ECDSA, insecure: 'ECDSA-SHA1' }],
  ['1.2.840.10045.4.3.2', { key: ECDSA }],
  ['1.2.840.10045.4.3.3', { key: ECDSA }],
  ['1.2.840.10045.4.3.4', { key: ECDSA }],
  ['1.3.101.112', { key: ED25519 }],
]);
// Node's key type names → Go's algorithm name, its %T, and the error of a failed verification.
const PUBLIC_KEYS: Record<string, { algorithm: string; goType: string; failure: string }> = {
  rsa: { algorithm: RSA, goType: '*rsa.PublicKey', failure: 'crypto/rsa: verification error' },
  ec: { algorithm: ECDSA, goType: '*ecdsa.PublicKey', failure: 'x509: ECDSA verification failure' },
  ed25519: { algorithm: ED25519, goType: 'ed25519.PublicKey', failure: 'x509: Ed25519 verification failure' },
};

function formatTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Certificate.CheckSignatureFrom. Returns Go's error text, or undefined when the signature holds. */
function checkSignatureFrom(child: ParsedCertificate, parent: ParsedCertificate): string | undefined {
  const cannotSign =
    (parent.version === 3 && !parent.basicConstraintsValid) || (parent.basicConstraintsValid && !parent.isCA);
  if (cannotSign || (parent.keyUsage !== 0 && !(parent.keyUsage & KEY_USAGE_CERT_SIGN))) {
    return 'x509: invalid signature: parent certificate cannot sign this kind of certificate';
  }
  const algorithm = SIGNATURE_ALGORITHMS.get(child.signatureAlgorithm);
  const key = PUBLIC_KEYS[parent.cert.publicKey.asymmetricKeyType ?? ''];
  if (!algorithm || !key) return 'x509: cannot verify signature: algorithm unimplemented';
  if (algorithm.insecure) return `x509: cannot verify signature: insecure algorithm ${algorithm.insecure}`;
  if (algorithm.key !== key.algorithm) {
    return `x509: signature algorithm specifies an ${algorithm.key} public key, but have public key of type ${key.goType}`;
  }
  try {
    return child.cert.verify(parent.cert.publicKey) ? undefined : key.failure;
  } catch {
    return key.failure;
  }
}

/** Certificate.isValid, without name constraints. */
function isValid(
  c: ParsedCertificate,
  certType: CertType,
  chain: readonly ParsedCertificate[],
  now: Date,
): string | undefined {
  if (c.hasUnhandledCriticalExtension) return 'x509: unhandled critical extension';
  const child = chain.at(-1);
  if (child && !child.rawIssuer.equals(c.rawSubject)) {
    return 'x509: issuer name does not match subject from issuing certificate';
  }
  if (now < c.notBefore) {
    return `x509: certificate has expired or is not yet valid: current time ${formatTime(now)} is before ${formatTime(c.notBefore)}`;
  }
  if (now > c.notAfter) {
    return `x509: certificate has expired or is not yet valid: current time ${formatTime(now)} is after ${formatTime(c.notAfter)}`;
  }
  if (certType === 'intermediate' && !(c.basicConstraintsValid && c.isCA)) {
    return 'x509: certificate is not authorized to sign other certificates';
  }
  if (c.basicConstraintsValid && c.maxPathLen >= 0 && chain.length - 1 > c.maxPathLen) {
    return 'x509: too many intermediates for path length constraint';
  }
  return undefined;
}

/** CertPool.findPotentialParents: same name bytes, ordered by how well the key identifiers match. */
function potentialParents(c: ParsedCertificate, pool: readonly ParsedCertificate[]): ParsedCertificate[] {
  const rank = (p: ParsedCertificate) => {
    if (p.subjectKeyId === c.authorityKeyId) return 0;
    return (p.subjectKeyId === '') !== (c.authorityKeyId === '') ? 1 : 2;
  };
  return pool.filter((p) => p.rawSubject.equals(c.rawIssuer)).sort((a, b) => rank(a) - rank(b));
}

/** alreadyInChain: same subject, key and subjectAltName, so cross-signing loops end. */
function alreadyInChain(candidate: ParsedCertificate, chain: readonly ParsedCertificate[]): boolean {
  return chain.some((c) => {
    if (!candidate.rawSubject.equals(c.rawSubject) || !candidate.cert.publicKey.equals(c.cert.publicKey))
      return false;
    if (!candidate.subjectAltName || !c.subjectAltName) return !candidate.subjectAltName && !c.subjectAltName;
    return candidate.subjectAltName.equals(c.subjectAltName);
  });
}

/** UnknownAuthorityError.Error(). */
function unknownAuthority(hint?: { error: string; cert: ParsedCertificate }): string {
  const message = 'x509: certificate signed by unknown authority';
  if (!hint) return message;
  const name = hint.cert.commonName || hint.cert.organizations[0] || `serial:${hint.cert.serialNumber}`;
  return `${message} (possibly because of ${goQuote(hint.error)} while trying to verify candidate authority certificate ${goQuote(name)})`;
}

interface BuildContext {
  roots: ParsedCertificate[];
  intermediates: ParsedCertificate[];
  now: Date;
  signatureChecks: number;
}

/**
 * Certificate.buildChains. As in Go, the error of a failed candidate's validity check or sub-chain stays the
 * result when no chain is found; only when there is none does it become "signed by unknown authority".
 */
function buildChains(
  c: ParsedCertificate,
  chain: ParsedCertificate[],
  ctx: BuildContext,
): { chains: ParsedCertificate[][]; error?: string } {
  const chains: ParsedCertificate[][] = [];
  let error: string | undefined;
  let hint: { error: string; cert: ParsedCertificate } | undefined;
  const consider = (certType: CertType, candidate: ParsedCertificate) => {
    if (alreadyInChain(candidate, chain)) return;
    if (++ctx.signatureChecks > MAX_CHAIN_SIGNATURE_CHECKS) {
      error = 'x509: signature check attempts limit reached while verifying certificate chain';
      return;
    }
    const signatureError = checkSignatureFrom(c, candidate);
    if (signatureError) {
      hint ??= { error: signatureError, cert: candidate };
      return;
    }
    error = isValid(candidate, certType, chain, ctx.now);
    if (error) {
      hint ??= { error, cert: candidate };
      return;
    }
    if (certType === 'root') chains.push([...chain, candidate]);
    else {
      const sub = buildChains(candidate, [...chain, candidate], ctx);
      error = sub.error;
      chains.push(...sub.chains);
    }
  };
  for (const root of potentialParents(c, ctx.roots)) consider('root', root);
  for (const intermediate of potentialParents(c, ctx.intermediates)) consider('intermediate', intermediate);
  if (chains.length > 0) return { chains };
  return { chains, error: error ?? unknownAuthority(hint) };
}

/**
 * checkChainForKeyUsage for one requested usage: every certificate of the chain must list it, list
 * anyExtendedKeyUsage, or list no extended key usage at all.
 */
function chainAllows(chain: readonly ParsedCertificate[], usage: string): boolean {
  return chain.every(
    (c) => c.extKeyUsage.length === 0 || c.extKeyUsage.includes(EKU_ANY) || c.extKeyUsage.includes(usage),
  );
}

/** A CertPool holds each certificate once. */
function distinct(certs: ParsedCertificate[]): ParsedCertificate[] {
  return certs.filter((c, i) => certs.findIndex((d) => d.cert.raw.equals(c.cert.raw)) === i);
}

/**
 * Verifies `chain` (the peer's certificates, leaf first) against `roots`, the rest of the chain serving as
 * intermediates. An empty `roots` fails with "unknown authority"; k8s.io/apiserver instead skips the
 * authenticator while no CA is loaded, which is for the caller to do.
 */
export function verifyClientCertificate(
  chain: readonly X509Certificate[],
  roots: readonly X509Certificate[],
  options: VerifyOptions,
): VerifyResult {
  const [leaf, ...rest] = chain.map(parseCertificate);
  if (!leaf) return { ok: false, error: 'x509: no certificate presented' };
  const leafError = isValid(leaf, 'leaf', [], options.now);
  if (leafError) return { ok: false, error: leafError };
  const ctx: BuildContext = {
    roots: distinct(roots.map(parseCertificate)),
    intermediates: distinct(rest),
    now: options.now,
    signatureChecks: 0,
  };
  const isRoot = ctx.roots.some((r) => r.cert.raw.equals(leaf.cert.raw));
  const built = isRoot ? { chains: [[leaf]] } : buildChains(leaf, [leaf], ctx);
  if ('error' in built && built.error) return { ok: false, error: built.error };
  if (options.usage === 'any') return { ok: true };
  return built.chains.some((c) => chainAllows(c, EKU_CLIENT_AUTH))
    ? { ok: true }
    : { ok: false, error: 'x509: certificate specifies an incompatible key usage' };
}
