// POST nodes/NAME/restart: Node from the cache → the VM behind it → its cloud's provider → one reboot
// (or a dry-run preflight). Every outcome is logged with who asked and the cloud's request id.
import { Injectable, Logger } from '@nestjs/common';
import { isCloudError } from '../../cloud/cloud-error.js';
import { CloudRegistry } from '../../cloud/cloud-registry.js';
import { DEFAULT_REBOOT_MODE, type CloudTarget } from '../../cloud/cloud-provider.js';
import { cloudErrorStatus } from '../../common/cloud-error-status.js';
import { StatusError, notFound } from '../../common/status.js';
import { ServerOptions } from '../../config/server-options.js';
import { NodeCache } from '../../kube/node-cache.js';
import { nodeRestart, type NodeRestart } from './node-restart.js';
import type { RestartOptions } from './restart-options.js';
import { restartTarget } from './restart-target.js';

@Injectable()
export class RestartService {
  private readonly log = new Logger(RestartService.name);

  constructor(
    private readonly cache: NodeCache,
    private readonly clouds: CloudRegistry,
    private readonly options: ServerOptions,
  ) {}

  async restart(nodeName: string, options: RestartOptions, user: string): Promise<NodeRestart> {
    const group = this.options.apiGroup;
    const resource = { group, resource: 'nodes', name: nodeName };
    const node = this.cache.get(nodeName);
    if (!node) throw new StatusError(notFound(resource));
    const target = await restartTarget(node, group, this.clouds);
    const mode = options.mode ?? DEFAULT_REBOOT_MODE;
    const logged = { ...this.fields(target), user, mode, dryRun: options.dryRun, reason: options.reason };
    try {
      const provider = this.clouds.get(target.cloud);
      this.log.log({ ...logged, event: 'restart.requested' }, `restart of node ${nodeName} requested`);
      const result = await provider.reboot(target, { mode, dryRun: options.dryRun });
      this.log.log(
        { ...logged, event: 'restart.accepted', requestId: result.requestId, appliedMode: result.mode },
        options.dryRun ? `dry run of node ${nodeName} passed` : `reboot of node ${nodeName} accepted`,
      );
      const previousBootID = node.status?.nodeInfo?.bootID;
      return nodeRestart({ group, target, options, result, previousBootID, user, at: new Date() });
    } catch (err) {
      if (!isCloudError(err)) throw err;
      this.log.warn(
        { ...logged, event: 'restart.failed', kind: err.kind, code: err.code, requestId: err.requestId },
        `restart of node ${nodeName} failed: ${err.message}`,
      );
      throw new StatusError(cloudErrorStatus(err, resource, `restart of node ${nodeName}: `));
    }
  }

  private fields(target: CloudTarget) {
    const { nodeName: node, cloud, region, instanceId } = target;
    return { node, cloud, region, instanceId };
  }
}
