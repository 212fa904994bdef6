// The user of a client certificate verified against --client-ca-file, as x509.go CommonNameUserConversion
// builds it (v0.36, AllowParsingUserUIDFromCertAuth on): CN is the name, every O a group, the subject's UID
// attribute the uid, and the certificate's SHA-256 its credential id.
import { createHash, type X509Certificate } from 'node:crypto';
import { parseCertificate } from './x509-certificate.js';
import { CREDENTIAL_ID_KEY, type AuthenticationResult } from './user-info.js';

/**
 * Undefined for a certificate without a CN (not authenticated, and no error); an error, failing the
 * request with a 401, for more than one UID attribute or an empty one.
 */
export function userFromClientCertificate(leaf: X509Certificate): AuthenticationResult {
  const { commonName, organizations, uids } = parseCertificate(leaf);
  if (!commonName) return undefined;
  if (uids.length > 1) return { error: `expected 1 UID, but found multiple: [${uids.join(' ')}]` };
  if (uids[0] === '') return { error: 'UID cannot be an empty string' };
  const fingerprint = createHash('sha256').update(leaf.raw).digest('hex');
  return {
    user: {
      name: commonName,
      ...(uids[0] && { uid: uids[0] }),
      groups: organizations,
      extra: { [CREDENTIAL_ID_KEY]: [`X509SHA256=${fingerprint}`] },
    },
  };
}

/** The subject's last CN (pkix.Name.CommonName), which checkAllowedNames compares. */
export function commonNameOf(cert: X509Certificate): string {
  return parseCertificate(cert).commonName;
}
