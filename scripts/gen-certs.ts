// Serving certificates without cert-manager: a private CA, a serving certificate for the names the aggregator
// (and, out of cluster, the developer) reaches the server by, and the APIService caBundle patch for an overlay.
//   node dist/scripts/gen-certs.js --out certs --overlay kustomize/overlays/self-built
//   node dist/scripts/gen-certs.js --out certs --overlay kustomize/overlays/out-of-cluster --host 192.0.2.10
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { createCertificateAuthority, issueCertificate } from '../src/tls/pki.js';

export const CA_BUNDLE_PATCH_FILE = 'ca-bundle.yaml';

/** What overlays ship until gen-certs has run: valid base64 (so schemas accept it) that says what to do. */
export const CA_BUNDLE_PLACEHOLDER = Buffer.from(
  'placeholder: run scripts/gen-certs.ts to write the CA here',
).toString('base64');

export interface GenCertsOptions {
  out: string;
  overlay?: string;
  namespace: string;
  service: string;
  apiGroup: string;
  hosts: string[];
  days: number;
  force: boolean;
}

export interface GenCertsResult {
  written: string[];
  dnsNames: string[];
  caBundle: string;
}

export class UsageError extends Error {}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_NAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/i;

export function caBundlePatch(apiGroup: string, caBundle: string): string {
  const origin =
    caBundle === CA_BUNDLE_PLACEHOLDER
      ? '# Placeholder until scripts/gen-certs.ts writes the CA that signed the serving certificate.'
      : '# Written by scripts/gen-certs.ts: the CA that signed the serving certificate.';
  return [
    origin,
    'apiVersion: apiregistration.k8s.io/v1',
    'kind: APIService',
    'metadata:',
    `  name: v1.${apiGroup}`,
    'spec:',
    `  caBundle: ${caBundle}`,
    '',
  ].join('\n');
}

function isPlaceholderPatch(path: string): boolean {
  try {
    return parse(readFileSync(path, 'utf8'))?.spec?.caBundle === CA_BUNDLE_PLACEHOLDER;
  } catch {
    return false;
  }
}

/** The in-cluster names first: the aggregator checks the certificate against <service>.<namespace>.svc. */
export function servingNames(opts: Pick<GenCertsOptions, 'namespace' | 'service' | 'hosts'>): string[] {
  const svc = `${opts.service}.${opts.namespace}.svc`;
  return [...new Set([svc, `${svc}.cluster.local`, ...opts.hosts])];
}

function validate(opts: GenCertsOptions): void {
  const problems: string[] = [];
  if (!DNS_LABEL.test(opts.namespace)) problems.push(`--namespace "${opts.namespace}" is not a DNS label`);
  if (!DNS_LABEL.test(opts.service)) problems.push(`--service "${opts.service}" is not a DNS label`);
  if (!DNS_NAME.test(opts.apiGroup)) problems.push(`--api-group "${opts.apiGroup}" is not a DNS name`);
  for (const h of opts.hosts)
    if (!isIP(h) && !DNS_NAME.test(h)) problems.push(`--host "${h}" is neither an IP nor a DNS name`);
  if (!Number.isInteger(opts.days) || opts.days < 1) problems.push('--days must be a positive integer');
  if (opts.overlay !== undefined && !existsSync(join(opts.overlay, 'kustomization.yaml')))
    problems.push(`--overlay ${opts.overlay} has no kustomization.yaml`);
  if (problems.length) throw new UsageError(problems.join('\n'));
}

export async function genCerts(opts: GenCertsOptions): Promise<GenCertsResult> {
  validate(opts);
  const certFiles = ['ca.crt', 'tls.crt', 'tls.key'].map((f) => join(opts.out, f));
  const patchFile = opts.overlay === undefined ? undefined : join(opts.overlay, CA_BUNDLE_PATCH_FILE);
  // Checked before anything is written, so a refusal leaves a consistent set behind.
  const existing = [...certFiles, ...(patchFile && !isPlaceholderPatch(patchFile) ? [patchFile] : [])].filter(
    (f) => existsSync(f),
  );
  if (existing.length && !opts.force)
    throw new UsageError(`refusing to overwrite ${existing.join(', ')} (pass --force to replace them)`);

  const dnsNames = servingNames(opts);
  const ca = await createCertificateAuthority(`${opts.service}-ca`, opts.days);
  const leaf = await issueCertificate(
    { commonName: dnsNames[0]!, hosts: dnsNames, usage: 'server', notAfter: ca.cert.notAfter },
    ca,
  );
  const caBundle = Buffer.from(ca.certPem).toString('base64');

  // The CA's key is not kept: a new serving certificate comes with a new CA, and the overlay is re-applied.
  const contents: [string, string, number][] = [
    [certFiles[0]!, ca.certPem, 0o644],
    [certFiles[1]!, leaf.certPem, 0o644],
    [certFiles[2]!, leaf.keyPem, 0o600],
  ];
  if (patchFile) contents.push([patchFile, caBundlePatch(opts.apiGroup, caBundle), 0o644]);
  mkdirSync(opts.out, { recursive: true, mode: 0o700 });
  for (const [file, text, mode] of contents) {
    rmSync(file, { force: true }); // a replaced key must not inherit a laxer mode
    writeFileSync(file, text, { mode });
  }
  return { written: contents.map(([file]) => file), dnsNames, caBundle };
}

const HELP = `Usage: gen-certs --out DIR [--overlay DIR] [--host NAME_OR_IP]... [options]

  --out DIR          where ca.crt, tls.crt and tls.key are written
  --overlay DIR      kustomize overlay that gets ${CA_BUNDLE_PATCH_FILE} (the APIService caBundle)
  --host NAME|IP     extra subject alternative name, repeatable (out of cluster: the developer's address)
  --namespace NS     the server's namespace (default k8s-cloud-node-manager)
  --service NAME     the server's Service (default k8s-cloud-node-manager)
  --api-group GROUP  the served API group (default infraops.michael.io)
  --days N           validity of the CA and the certificate (default 365)
  --force            replace existing files`;

export function parseCommandLine(argv: string[]): GenCertsOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      out: { type: 'string' },
      overlay: { type: 'string' },
      host: { type: 'string', multiple: true, default: [] },
      namespace: { type: 'string', default: 'k8s-cloud-node-manager' },
      service: { type: 'string', default: 'k8s-cloud-node-manager' },
      'api-group': { type: 'string', default: 'infraops.michael.io' },
      days: { type: 'string', default: '365' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  if (!values.out) throw new UsageError('--out is required');
  return {
    out: values.out,
    overlay: values.overlay,
    hosts: values.host,
    namespace: values.namespace,
    service: values.service,
    apiGroup: values['api-group'],
    days: /^\d+$/.test(values.days) ? Number(values.days) : NaN,
    force: values.force,
  };
}

async function main(argv: string[]): Promise<number> {
  try {
    const opts = parseCommandLine(argv);
    if (opts === 'help') {
      console.log(HELP);
      return 0;
    }
    const result = await genCerts(opts);
    const [cert, key] = [join(opts.out, 'tls.crt'), join(opts.out, 'tls.key')];
    console.log(
      `serving certificate for ${result.dnsNames.join(', ')}\nwrote ${result.written.join(', ')}\n`,
    );
    console.log(
      `in cluster:     kubectl -n ${opts.namespace} create secret tls ${opts.service}-serving-cert --cert=${cert} --key=${key}`,
    );
    console.log(
      `out of cluster: start the server with --tls-cert-file=${cert} --tls-private-key-file=${key}`,
    );
    return 0;
  } catch (err) {
    const badArgs = (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS_');
    if (!(err instanceof UsageError) && !badArgs) throw err;
    console.error(`gen-certs: ${(err as Error).message}\n(see --help)`);
    return 2;
  }
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
