import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CredentialsConfig } from './common/credentials.js';
import type { Ec2EmulatorOptions } from './ec2/ec2-emulator.js';
import type { Ec2InstanceSeed } from './ec2/ec2-instances.js';
import type { CvmInstanceSeed } from './tencent/tencent-instances.js';
import type { TencentEmulatorOptions } from './tencent/tencent-emulator.js';

export const USAGE = `Usage: main.js [--seed FILE] [--ec2-port N] [--tencent-port N] [--transition-ms N] [--reboot-ms N]
                 [--ec2-instance REGION/ZONE/i-ID]... [--tencent-instance REGION/ZONE/ins-ID]...
The seed file is JSON: {"ec2": Ec2EmulatorOptions, "tencent": TencentEmulatorOptions}; flags override it.
Without credentials in the seed, a random key pair is generated for each emulator.`;

export interface EmulatorsConfig {
  ec2: Ec2EmulatorOptions;
  tencent: TencentEmulatorOptions;
}

interface SeedFile {
  ec2?: Partial<Ec2EmulatorOptions>;
  tencent?: Partial<TencentEmulatorOptions>;
}

/** Turns command-line flags (and the seed file they name) into options for both emulators. */
export function parseCli(argv: string[]): EmulatorsConfig {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      seed: { type: 'string' },
      'ec2-port': { type: 'string' },
      'tencent-port': { type: 'string' },
      'transition-ms': { type: 'string' },
      'reboot-ms': { type: 'string' },
      'ec2-instance': { type: 'string', multiple: true },
      'tencent-instance': { type: 'string', multiple: true },
    },
  });
  const seed: SeedFile = values.seed ? (JSON.parse(readFileSync(values.seed, 'utf8')) as SeedFile) : {};
  const transitionMs = optionalInt(values['transition-ms'], 'transition-ms');
  const rebootMs = optionalInt(values['reboot-ms'], 'reboot-ms');
  const ec2Port = optionalInt(values['ec2-port'], 'ec2-port');
  const tencentPort = optionalInt(values['tencent-port'], 'tencent-port');
  return {
    ec2: {
      ...seed.ec2,
      credentials: seed.ec2?.credentials ?? randomKey('AKIA', 16, 30),
      instances: [...(seed.ec2?.instances ?? []), ...(values['ec2-instance'] ?? []).map(ec2Instance)],
      ...(transitionMs !== undefined && { transitionMs }),
      ...(ec2Port !== undefined && { port: ec2Port }),
    },
    tencent: {
      ...seed.tencent,
      credentials: seed.tencent?.credentials ?? randomKey('AKID', 32, 24),
      instances: [...(seed.tencent?.instances ?? []), ...(values['tencent-instance'] ?? []).map(cvmInstance)],
      ...(transitionMs !== undefined && { transitionMs }),
      ...(rebootMs !== undefined && { rebootMs }),
      ...(tencentPort !== undefined && { port: tencentPort }),
    },
  };
}

function optionalInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${flag} must be a non-negative integer`);
  return value;
}

function triple(text: string, flag: string): [string, string, string] {
  const parts = text.split('/');
  if (parts.length !== 3 || parts.some((p) => p === ''))
    throw new Error(`--${flag} expects REGION/ZONE/ID, got ${text}`);
  return parts as [string, string, string];
}

function ec2Instance(text: string): Ec2InstanceSeed {
  const [region, availabilityZone, instanceId] = triple(text, 'ec2-instance');
  return { region, availabilityZone, instanceId };
}

function cvmInstance(text: string): CvmInstanceSeed {
  const [region, zone, instanceId] = triple(text, 'tencent-instance');
  return { region, zone, instanceId };
}

function randomKey(prefix: string, idLength: number, secretBytes: number): CredentialsConfig {
  const id = prefix + randomBytes(idLength).toString('hex').toUpperCase().slice(0, idLength);
  return { [id]: randomBytes(secretBytes).toString('base64url') };
}
