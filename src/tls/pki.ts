// Small X.509 toolkit: the server's in-memory self-signed serving certificate, and the test and sandbox PKI
// (cluster CA, front-proxy CA, serving and client certificates) are all made here, with ECDSA P-256 keys.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKeyPair = webcrypto.CryptoKeyPair;

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

export interface CertificateAuthority extends KeyPairPem {
  /** Kept for signing; never serialized anywhere but keyPem. */
  readonly keys: CryptoKeyPair;
  readonly cert: x509.X509Certificate;
}

export interface IssueOptions {
  commonName: string;
  organizations?: string[];
  /** DNS names and IP addresses for the subjectAltName extension. */
  hosts?: string[];
  usage: 'server' | 'client' | 'server+client';
  notBefore?: Date;
  notAfter?: Date;
}

const DAY = 24 * 3600 * 1000;

function subjectName(commonName: string, organizations: string[] = []): x509.JsonName {
  return [...organizations.map((o) => ({ O: [o] })), { CN: [commonName] }];
}

async function keyPem(keys: CryptoKeyPair): Promise<string> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as webcrypto.CryptoKey);
  return x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
}

function generateKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

export async function createCertificateAuthority(
  commonName: string,
  validDays = 365,
): Promise<CertificateAuthority> {
  const keys = await generateKeys();
  const notBefore = new Date(Date.now() - 60_000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: subjectName(commonName),
    keys,
    signingAlgorithm: ALGORITHM,
    notBefore,
    notAfter: new Date(notBefore.getTime() + validDays * DAY),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { keys, cert, certPem: cert.toString('pem'), keyPem: await keyPem(keys) };
}

function altNames(hosts: string[]): x509.SubjectAlternativeNameExtension {
  return new x509.SubjectAlternativeNameExtension(
    hosts.map((h) => (isIP(h) ? { type: 'ip', value: h } : { type: 'dns', value: h })),
  );
}

function extendedUsages(usage: IssueOptions['usage']): x509.ExtendedKeyUsage[] {
  const out: x509.ExtendedKeyUsage[] = [];
  if (usage.includes('server')) out.push(x509.ExtendedKeyUsage.serverAuth);
  if (usage.includes('client')) out.push(x509.ExtendedKeyUsage.clientAuth);
  return out;
}

/** Issues a leaf certificate signed by `ca`, or a self-signed one when `ca` is omitted. */
export async function issueCertificate(opts: IssueOptions, ca?: CertificateAuthority): Promise<KeyPairPem> {
  const keys = await generateKeys();
  const notBefore = opts.notBefore ?? new Date(Date.now() - 60_000);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
    new x509.ExtendedKeyUsageExtension(extendedUsages(opts.usage)),
  ];
  if (opts.hosts?.length) extensions.push(altNames(opts.hosts));
  const common = {
    signingAlgorithm: ALGORITHM,
    notBefore,
    notAfter: opts.notAfter ?? new Date(notBefore.getTime() + 365 * DAY),
    extensions,
  };
  const name = subjectName(opts.commonName, opts.organizations);
  const cert = ca
    ? await x509.X509CertificateGenerator.create({
        ...common,
        subject: name,
        issuer: ca.cert.subject,
        publicKey: keys.publicKey,
        signingKey: ca.keys.privateKey as never,
        extensions: [...extensions, await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey)],
      })
    : await x509.X509CertificateGenerator.createSelfSigned({ ...common, name, keys });
  return { certPem: cert.toString('pem'), keyPem: await keyPem(keys) };
}

/** Loads a CA written by createCertificateAuthority, to issue more certificates with it. */
export async function loadCertificateAuthority(
  certPem: string,
  keyPemText: string,
): Promise<CertificateAuthority> {
  const cert = new x509.X509Certificate(certPem);
  const der = x509.PemConverter.decodeFirst(keyPemText);
  const privateKey = await webcrypto.subtle.importKey('pkcs8', der, ALGORITHM, true, ['sign']);
  const publicKey = await cert.publicKey.export(ALGORITHM, ['verify']);
  return { cert, certPem, keyPem: keyPemText, keys: { privateKey, publicKey } as unknown as CryptoKeyPair };
}
