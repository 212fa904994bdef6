import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeConfig } from '@kubernetes/client-node';
import { applyConnectionFlags, impersonationHeaders } from '../../../src/kubectl-plugin/connection-flags.js';
import { parseOptions, UsageError } from '../../../src/kubectl-plugin/options.js';

const connection = (...flags: string[]) => parseOptions(['n1', ...flags]).connection;

test("kubectl's connection flags: impersonation, request timeout, server, credentials", () => {
  const c = connection(
    '--as=jane',
    '--as-group=ops',
    '--as-group',
    'oncall',
    '--as-uid=42',
    '--request-timeout=5',
  );
  assert.deepEqual(impersonationHeaders(c), {
    'Impersonate-User': 'jane',
    'Impersonate-Group': ['ops', 'oncall'],
    'Impersonate-Uid': '42',
  });
  assert.equal(c.requestTimeoutMs, 5000);
  assert.equal(connection('--request-timeout=2m').requestTimeoutMs, 120_000);
  assert.equal(connection('--request-timeout=0').requestTimeoutMs, 0);
  assert.deepEqual(impersonationHeaders(connection()), {});
  const s = connection('-s', 'https://other:6443', '--token=t0k', '--insecure-skip-tls-verify', '-n', 'x');
  assert.equal(s.server, 'https://other:6443');
  assert.equal(s.token, 't0k');
  assert.equal(s.insecureSkipTlsVerify, true);
  for (const [argv, message] of [
    [['--as-group=ops'], /--as-group and --as-uid need --as/],
    [['--request-timeout=soon'], /invalid --request-timeout "soon"/],
  ] as const) {
    assert.throws(
      () => connection(...argv),
      (err: Error) => err instanceof UsageError && message.test(err.message),
    );
  }
});

test('the flags override the kubeconfig as clientcmd does', () => {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      { name: 'prod', server: 'https://prod:6443', caData: 'Q0E=', skipTLSVerify: false },
      { name: 'lab', server: 'https://lab:6443', skipTLSVerify: false },
    ],
    users: [
      { name: 'sso', exec: { command: 'get-token', apiVersion: 'client.authentication.k8s.io/v1' } },
      { name: 'robot', token: 'robot-token' },
    ],
    contexts: [{ name: 'prod', cluster: 'prod', user: 'sso' }],
    currentContext: 'prod',
  });
  const plain = applyConnectionFlags(kc, {});
  assert.equal(plain.cluster.server, 'https://prod:6443');
  assert.equal(plain.cluster.caData, 'Q0E=');
  assert.ok(plain.user.exec);
  const overridden = applyConnectionFlags(kc, {
    cluster: 'lab',
    user: 'robot',
    server: 'https://lab-lb:6443',
    certificateAuthority: '/ca.crt',
  });
  assert.equal(overridden.cluster.server, 'https://lab-lb:6443');
  assert.equal(overridden.cluster.caFile, '/ca.crt');
  assert.equal(overridden.user.token, 'robot-token');
  const token = applyConnectionFlags(kc, { token: 'flag-token' });
  assert.equal(token.user.token, 'flag-token');
  assert.equal(token.user.exec, undefined, 'a token from the flags replaces the exec plugin');
  const insecure = applyConnectionFlags(kc, { insecureSkipTlsVerify: true });
  assert.equal(insecure.cluster.skipTLSVerify, true);
  assert.equal(insecure.cluster.caData, undefined);
  assert.throws(() => applyConnectionFlags(kc, { insecureSkipTlsVerify: true, certificateAuthority: '/ca' }));
  assert.throws(() => applyConnectionFlags(kc, { cluster: 'nowhere' }), /cluster "nowhere" not found/);
  assert.throws(() => applyConnectionFlags(kc, { user: 'nobody' }), /user "nobody" not found/);
});
