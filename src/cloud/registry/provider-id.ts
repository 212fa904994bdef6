import type { CloudDefinition } from '../contract/definition.js';
import type { CloudIdentity } from '../contract/identity.js';
import { cloudForScheme, SUPPORTED_CLOUDS } from './clouds.js';
import { quote } from '../provider-id-parts.js';
import { recogniseUnsupportedCloud } from './unsupported-clouds.js';

export type ProviderIDParseResult =
  | { kind: 'ok'; identity: CloudIdentity }
  /** spec.providerID is absent or blank. */
  | { kind: 'missing'; reason: string }
  /** A supported cloud's scheme with a malformed rest, or surrounding whitespace, uppercase or excess length. */
  | { kind: 'invalid'; cloud: string; reason: string }
  /** A known form this server cannot act on: another cloud, or an AWS Fargate node. */
  | { kind: 'unsupported'; cloud: string; reason: string }
  | { kind: 'unrecognised'; reason: string };

// Longer than any valid providerID of a supported cloud (the longest, simulated, has at most 204 characters).
const MAX_LENGTH = 256;
// Looked for in the first characters only, so a huge input costs nothing; whitespace is tolerated here so that
// " aws:///…" is reported as an invalid AWS providerID rather than an unrecognised one.
const SCHEME = /^\s*([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const SCHEME_WINDOW = 64;

const SUPPORTED_SCHEMES = SUPPORTED_CLOUDS.map(
  (cloud) => `${cloud.name} (${cloud.schemes.map((s) => `${s}://`).join(', ')})`,
).join(', ');

const MISSING =
  'the node has no spec.providerID, so its cloud VM is unknown; the cloud controller manager (or kubelet ' +
  '--provider-id) sets it';

function parseForCloud(cloud: CloudDefinition, providerID: string, scheme: string): ProviderIDParseResult {
  const invalid = (reason: string): ProviderIDParseResult => ({
    kind: 'invalid',
    cloud: cloud.name,
    reason: `invalid ${cloud.displayName} providerID ${quote(providerID)}: ${reason}`,
  });
  const lowercase = scheme.toLowerCase();
  if (providerID !== providerID.trim()) return invalid('it has leading or trailing whitespace');
  if (scheme !== lowercase) return invalid(`the scheme must be lowercase "${lowercase}://"`);
  if (providerID.length > MAX_LENGTH) {
    return invalid(`it is ${providerID.length} characters long, more than any valid one (${MAX_LENGTH})`);
  }
  const parsed = cloud.parseProviderID(providerID.slice(scheme.length + '://'.length), scheme);
  switch (parsed.kind) {
    case 'ok':
      return { kind: 'ok', identity: { cloud: cloud.name, providerID, ...parsed.locator } };
    case 'invalid':
      return invalid(parsed.reason);
    case 'unsupported':
      return {
        kind: 'unsupported',
        cloud: parsed.cloud,
        reason: `providerID ${quote(providerID)} is ${parsed.reason}`,
      };
  }
}

/**
 * Which cloud VM a Node's spec.providerID names. Never throws: every input, however hostile, gets a result whose
 * reason can be shown to the user as is (untrusted text in it is quoted, escaped and shortened).
 */
export function parseProviderID(providerID: string | null | undefined): ProviderIDParseResult {
  if (typeof providerID !== 'string' || providerID.trim() === '') return { kind: 'missing', reason: MISSING };
  const scheme = SCHEME.exec(providerID.slice(0, SCHEME_WINDOW))?.[1];
  const supported = scheme === undefined ? undefined : cloudForScheme(scheme.toLowerCase());
  if (scheme !== undefined && supported !== undefined) return parseForCloud(supported, providerID, scheme);
  const recognised = recogniseUnsupportedCloud(providerID, scheme?.toLowerCase());
  if (recognised !== undefined) {
    return {
      kind: 'unsupported',
      cloud: recognised.cloud,
      reason:
        `providerID ${quote(providerID)} is a ${recognised.displayName} node: ` +
        (recognised.reason ??
          `this cloud is recognised but not supported yet; supported: ${SUPPORTED_SCHEMES}`),
    };
  }
  return {
    kind: 'unrecognised',
    reason: `providerID ${quote(providerID)} matches no known cloud format; supported: ${SUPPORTED_SCHEMES}`,
  };
}
