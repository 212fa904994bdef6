import {
  DescribeInstancesCommand,
  EC2Client,
  type EC2ClientConfig,
  RebootInstancesCommand,
} from '@aws-sdk/client-ec2';
import { withDeadline } from '../call-deadline.js';
import { type CloudCall, type CloudCallObserver, observeCall } from '../cloud-call.js';
import { CloudError, isCloudError } from '../cloud-error.js';
import type {
  CloudCallOptions,
  CloudProvider,
  CloudTarget,
  InstanceDescription,
  RebootMode,
  RebootOptions,
  RebootResult,
} from '../cloud-provider.js';
import { RegionalClients } from '../regional-clients.js';
import { ec2CloudError } from './aws-errors.js';
import { ec2PowerState } from './ec2-state.js';
import { retryOnlyUnexecuted } from './reboot-at-most-once.js';

export interface AwsProviderOptions {
  /** Time budget of one EC2 call, the SDK's retries included. */
  timeoutMs: number;
  /** Requests per call for failures the SDK retries (throttling; for reads also 5xx answers and network errors). */
  maxAttempts: number;
  /** EC2 endpoint URL. Without it the SDK reads AWS_ENDPOINT_URL_EC2, else uses the regional endpoint. */
  endpoint?: string;
  /** Fixed credentials. Without them the SDK's default chain finds them (cloud-apis.md §1.7). */
  credentials?: EC2ClientConfig['credentials'];
  /** Told of every EC2 call (metrics). */
  observer?: CloudCallObserver;
}

const MODE_APPLIED: RebootMode = 'SoftFirst';
const MODE_NOTE =
  'EC2 RebootInstances asks the OS to reboot and forces a reboot if it has not rebooted within about four minutes';

/** EC2 through @aws-sdk/client-ec2: one client per region, credentials from the SDK's default chain. */
export class AwsProvider implements CloudProvider {
  readonly cloud = 'aws' as const;
  /**
   * What EC2 does is SoftFirst. Soft is accepted and performed the same way, as EC2 has no reboot without the
   * fallback. Hard is refused rather than quietly softened: EC2 has no immediate reset.
   */
  readonly rebootModes: readonly RebootMode[] = ['SoftFirst', 'Soft'];
  readonly #clients: RegionalClients<EC2Client>;

  constructor(private readonly options: AwsProviderOptions) {
    this.#clients = new RegionalClients(
      (region) =>
        new EC2Client({
          region,
          maxAttempts: options.maxAttempts,
          ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
          ...(options.credentials !== undefined && { credentials: options.credentials }),
        }),
      (client) => client.destroy(),
    );
  }

  async reboot(target: CloudTarget, { mode, dryRun, signal }: RebootOptions): Promise<RebootResult> {
    if (!this.rebootModes.includes(mode)) {
      throw new CloudError({
        kind: 'Unsupported',
        cloud: 'aws',
        message:
          `EC2 cannot reboot ${target.instanceId} (node ${target.nodeName}) in mode ${mode}: ${MODE_NOTE}, and ` +
          'has no immediate reset. Use mode SoftFirst (Soft is performed the same way), or stop and start the instance',
      });
    }
    return dryRun ? this.#preflight(target, signal) : this.#reboot(target, signal);
  }

  async describe(target: CloudTarget, options: CloudCallOptions = {}): Promise<InstanceDescription> {
    const command = new DescribeInstancesCommand({ InstanceIds: [target.instanceId] });
    const output = await this.#send(
      this.#call('DescribeInstances', target, false),
      options.signal,
      (client, abortSignal) => client.send(command, { abortSignal }),
    );
    const instance = output.Reservations?.flatMap((r) => r.Instances ?? []).find(
      (i) => i.InstanceId === target.instanceId,
    );
    const requestId = output.$metadata.requestId;
    if (instance === undefined) {
      throw new CloudError({
        kind: 'InstanceNotFound',
        cloud: 'aws',
        requestId,
        message: `EC2 instance ${target.instanceId} was not found in ${target.region}`,
      });
    }
    const cloudState = instance.State?.Name ?? 'unknown';
    return { instanceId: target.instanceId, state: ec2PowerState(cloudState), cloudState, requestId };
  }

  close(): void {
    this.#clients.closeAll();
  }

  async #reboot(target: CloudTarget, signal: AbortSignal | undefined): Promise<RebootResult> {
    const command = retryOnlyUnexecuted(new RebootInstancesCommand({ InstanceIds: [target.instanceId] }));
    const output = await this.#send(
      this.#call('RebootInstances', target, true),
      signal,
      (client, abortSignal) => client.send(command, { abortSignal }),
    );
    return { requestId: output.$metadata.requestId, mode: MODE_APPLIED };
  }

  /** RebootInstances with DryRun=true proves the permission; DescribeInstances shows the instance can be rebooted. */
  async #preflight(target: CloudTarget, signal: AbortSignal | undefined): Promise<RebootResult> {
    const requestId = await this.#dryRunReboot(target, signal);
    const described = await this.describe(target, { signal });
    if (described.state !== 'running') {
      throw new CloudError({
        kind: 'InvalidState',
        cloud: 'aws',
        requestId: described.requestId,
        message: `EC2 instance ${target.instanceId} is ${described.cloudState}; only a running instance can be rebooted`,
      });
    }
    return {
      requestId,
      mode: MODE_APPLIED,
      dryRunReport: {
        checks: [
          {
            name: 'Authorization',
            detail: `EC2 RebootInstances with DryRun=true for ${target.instanceId} in ${target.region} would have succeeded`,
          },
          {
            name: 'InstanceState',
            detail: `EC2 DescribeInstances reports ${target.instanceId} ${described.cloudState}`,
          },
          { name: 'Mode', detail: `${MODE_APPLIED}: ${MODE_NOTE}` },
        ],
      },
    };
  }

  /** The request id of the DryRunOperation answer, which is how EC2 says "would have succeeded". */
  async #dryRunReboot(target: CloudTarget, signal: AbortSignal | undefined): Promise<string | undefined> {
    const command = new RebootInstancesCommand({ InstanceIds: [target.instanceId], DryRun: true });
    try {
      await this.#send(this.#call('RebootInstances', target, false), signal, (client, abortSignal) =>
        client.send(command, { abortSignal }),
      );
    } catch (error) {
      if (isCloudError(error) && error.code === 'DryRunOperation') return error.requestId;
      throw error;
    }
    throw new CloudError({
      kind: 'Internal',
      cloud: 'aws',
      message: `EC2 accepted RebootInstances for ${target.instanceId} with DryRun=true without answering DryRunOperation`,
    });
  }

  #call(action: string, target: CloudTarget, mutating: boolean): CloudCall & { region: string } {
    return {
      cloud: 'aws',
      action,
      instanceId: target.instanceId,
      region: target.region,
      mutating,
      attempts: 1,
    };
  }

  #send<Output>(
    call: CloudCall & { region: string },
    signal: AbortSignal | undefined,
    send: (client: EC2Client, abortSignal: AbortSignal) => Promise<Output>,
  ): Promise<Output> {
    return observeCall(this.options.observer, call, () => this.#sendUnobserved(call, signal, send));
  }

  async #sendUnobserved<Output>(
    call: CloudCall & { region: string },
    signal: AbortSignal | undefined,
    send: (client: EC2Client, abortSignal: AbortSignal) => Promise<Output>,
  ): Promise<Output> {
    const client = this.#clients.get(call.region);
    try {
      return await withDeadline(this.options.timeoutMs, signal, (deadline) => send(client, deadline.signal));
    } catch (error) {
      throw ec2CloudError(error, call);
    }
  }
}
