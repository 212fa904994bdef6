// Certificates src/tls/pki.ts does not make (intermediate CAs, no or any extended key usage, chosen
// validity, path lengths, critical extensions, RSA keys), for the x509 verification tests.
import 'reflect-metadata';
import { webcrypto, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKeyPair = webcrypto.CryptoKeyPair;

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const RSA = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};

export const EKU = {
  clientAuth: '1.3.6.1.5.5.7.3.2',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  any: '2.5.29.37.0',
} as const;

export interface TestCertificate {
  cert: X509Certificate;
  peculiar: x509.X509Certificate;
  keys: CryptoKeyPair;
  algorithm: typeof ECDSA | typeof RSA;
}

export interface CertificateSpec {
  commonName?: string;
  organizations?: string[];
  /** Kubernetes UID attributes (1.3.6.1.4.1.57683.2) of the subject. */
  uids?: string[];
  /** Self-signed when absent. */
  issuer?: TestCertificate;
  /** A CA (basicConstraints cA=true, keyCertSign); a number also sets pathLenConstraint. */
  ca?: boolean | number;
  /** Leave out basicConstraints entirely. */
  noBasicConstraints?: boolean;
  /** No extendedKeyUsage extension when absent. */
  extKeyUsages?: string[];
  keyUsage?: number;
  notBefore?: Date;
  notAfter?: Date;
  extensions?: x509.Extension[];
  rsa?: boolean;
  /** Sign with SHA-1, which Go refuses. */
  sha1?: boolean;
  /** Reuse a key pair (a re-issued CA keeps its key). */
  keys?: CryptoKeyPair;
  /** Hexadecimal; a counter when absent. */
  serialNumber?: string;
}

const DAY = 24 * 3600 * 1000;
let serial = 1;

export async function makeCertificate(spec: CertificateSpec): Promise<TestCertificate> {
  const algorithm = spec.rsa ? RSA : ECDSA;
  const keys =
    spec.keys ?? ((await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair);
  const name: x509.JsonName = [
    ...(spec.organizations ?? []).map((o) => ({ O: [o] })),
    ...(spec.uids ?? []).map((u) => ({ '1.3.6.1.4.1.57683.2': [u] })),
    ...(spec.commonName === undefined ? [] : [{ CN: [spec.commonName] }]),
  ];
  const isCA = spec.ca !== undefined && spec.ca !== false;
  const extensions: x509.Extension[] = [
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ...(spec.noBasicConstraints
      ? []
      : [new x509.BasicConstraintsExtension(isCA, typeof spec.ca === 'number' ? spec.ca : undefined, true)]),
    ...(spec.keyUsage !== undefined || isCA
      ? [
          new x509.KeyUsagesExtension(
            spec.keyUsage ?? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
            true,
          ),
        ]
      : []),
    ...(spec.extKeyUsages ? [new x509.ExtendedKeyUsageExtension(spec.extKeyUsages)] : []),
    ...(spec.issuer ? [await x509.AuthorityKeyIdentifierExtension.create(spec.issuer.keys.publicKey)] : []),
    ...(spec.extensions ?? []),
  ];
  const notBefore = spec.notBefore ?? new Date(Date.now() - DAY);
  const peculiar = await x509.X509CertificateGenerator.create({
    serialNumber: spec.serialNumber ?? (serial++).toString(16).padStart(4, '0'),
    subject: name,
    issuer: spec.issuer ? spec.issuer.peculiar.subjectName : name,
    notBefore,
    notAfter: spec.notAfter ?? new Date(notBefore.getTime() + 365 * DAY),
    publicKey: keys.publicKey,
    signingKey: (spec.issuer?.keys ?? keys).privateKey,
    signingAlgorithm: { ...(spec.issuer?.algorithm ?? algorithm), ...(spec.sha1 && { hash: 'SHA-1' }) },
    extensions,
  });
  return { cert: new X509Certificate(Buffer.from(peculiar.rawData)), peculiar, keys, algorithm };
}
