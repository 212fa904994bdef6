// Known vulnerabilities of the production dependencies, from the registry's advisory endpoint through
// `npm audit`. Where that endpoint does not answer (some registries and proxies refuse its POST with 405), the
// result says so instead of passing or failing.
import { execFile } from 'node:child_process';

export type AuditResult =
  | { answered: true; counts: Record<string, number>; advisories: string[] }
  | { answered: false; reason: string };

const SEVERITIES = ['info', 'low', 'moderate', 'high', 'critical'];

/** Reads `npm audit --json` output: its vulnerability counts, or why there are none. */
export function readAudit(stdout: string): AuditResult {
  let report: {
    error?: { summary?: string; detail?: string };
    message?: string;
    metadata?: { vulnerabilities?: Record<string, number> };
    vulnerabilities?: Record<string, { severity: string; via: unknown[] }>;
  };
  try {
    report = JSON.parse(stdout) as typeof report;
  } catch {
    return { answered: false, reason: `npm audit printed no report: ${stdout.trim().slice(0, 200)}` };
  }
  const counts = report.metadata?.vulnerabilities;
  if (!counts) {
    const why = report.error?.summary || report.message || 'no vulnerability counts in the report';
    return { answered: false, reason: why.split('\n')[0]! };
  }
  const advisories = Object.entries(report.vulnerabilities ?? {}).map(
    ([name, v]) => `${name}: ${v.severity}`,
  );
  return {
    answered: true,
    counts: Object.fromEntries(SEVERITIES.map((s) => [s, counts[s] ?? 0])),
    advisories,
  };
}

export function auditProduction(repo: string): Promise<AuditResult> {
  return new Promise((resolve) =>
    execFile(
      'npm',
      ['audit', '--omit=dev', '--package-lock-only', '--json'],
      { cwd: repo, timeout: 120_000, maxBuffer: 2 ** 26 },
      // npm audit exits 1 both when it finds vulnerabilities and when it cannot ask: the report tells which.
      (err, stdout) =>
        resolve(
          stdout
            ? readAudit(stdout)
            : { answered: false, reason: err?.message.split('\n')[0] ?? 'no output' },
        ),
    ),
  );
}
