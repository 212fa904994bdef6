import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { RebootInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { parseCli } from '../../emulators/cli-options.js';
import { CvmClient, isolateSdkEnvironment } from './helpers.js';

isolateSdkEnvironment();

const MAIN = fileURLToPath(new URL('../../emulators/main.js', import.meta.url));

test('the CLI starts both emulators from a seed file, prints one JSON line, and exits cleanly on SIGTERM', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'emulator-cli-'));
  const seed = join(dir, 'seed.json');
  writeFileSync(
    seed,
    JSON.stringify({
      ec2: {
        credentials: { AKIDSANDBOX: 'sandbox-secret' },
        instances: [{ instanceId: 'i-0123456789abcdef0', region: 'eu-west-1' }],
      },
      tencent: { credentials: { AKIDSANDBOXTC: 'sandbox-key' } },
    }),
  );
  const child = spawn(
    process.execPath,
    [MAIN, '--seed', seed, '--tencent-instance', 'ap-guangzhou/ap-guangzhou-3/ins-abcdefgh'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  const ready = JSON.parse(line) as {
    ec2: { url: string; credentials: Record<string, string> };
    tencent: { url: string; endpoint: string; credentials: Record<string, string> };
  };
  assert.match(ready.ec2.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.deepEqual(ready.ec2.credentials, { AKIDSANDBOX: 'sandbox-secret' });
  assert.equal(ready.tencent.url, `http://${ready.tencent.endpoint}`);

  const ec2 = new EC2Client({
    region: 'eu-west-1',
    endpoint: ready.ec2.url,
    credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox-secret' },
  });
  const out = await ec2.send(new RebootInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] }));
  assert.equal(out.$metadata.httpStatusCode, 200);
  const cvm = new CvmClient({
    credential: { secretId: 'AKIDSANDBOXTC', secretKey: 'sandbox-key' },
    region: 'ap-guangzhou',
    profile: { httpProfile: { endpoint: ready.tencent.endpoint, protocol: 'http://' } },
  });
  await cvm.RebootInstances({ InstanceIds: ['ins-abcdefgh'] });
  ec2.destroy();

  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 0);
});

test('without credentials in the seed the CLI generates a key pair per emulator; bad flags are refused', () => {
  const config = parseCli([
    '--transition-ms',
    '5',
    '--reboot-ms',
    '7',
    '--ec2-instance',
    'us-east-1/us-east-1c/i-0123456789abcdef0',
  ]);
  assert.equal(Object.keys(config.ec2.credentials).length, 1);
  assert.match(Object.keys(config.ec2.credentials)[0]!, /^AKIA[0-9A-F]{16}$/);
  assert.match(Object.keys(config.tencent.credentials)[0]!, /^AKID[0-9A-F]{32}$/);
  assert.equal(config.ec2.transitionMs, 5);
  assert.equal(config.tencent.rebootMs, 7);
  assert.deepEqual(config.ec2.instances, [
    { region: 'us-east-1', availabilityZone: 'us-east-1c', instanceId: 'i-0123456789abcdef0' },
  ]);
  assert.throws(() => parseCli(['--ec2-instance', 'us-east-1/i-0123456789abcdef0']), /REGION\/ZONE\/ID/);
  assert.throws(() => parseCli(['--reboot-ms=-1']), /non-negative/);
  assert.throws(() => parseCli(['--bogus']), /Unknown option/);
});
