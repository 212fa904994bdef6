// The writes restarts and power actions make to Nodes: JSON merge patches. A cordon and its lift carry the Node's
// resourceVersion, so they fail (409) rather than undo a change made since the read; annotations are metadata only,
// so they never race the kubelet's status updates and need none. ApiNodeGateway is the real one.
import { Inject, Injectable } from '@nestjs/common';
import { PatchStrategy, setHeaderOptions, type CoreV1Api, type V1Node } from '@kubernetes/client-node';
import { CORE_API } from '../../kube/kube.tokens.js';
import { isHttpStatus } from './leases.js';

/** A JSON merge patch of a Node (RFC 7386: null deletes); metadata.resourceVersion, when set, is a precondition. */
export interface NodePatch {
  metadata?: { resourceVersion?: string; annotations?: Record<string, string | null> };
  spec?: { unschedulable?: true | null };
}

export abstract class NodeGateway {
  /** The Node as kube-apiserver has it now; undefined when there is none. */
  abstract read(name: string): Promise<V1Node | undefined>;
  abstract mergePatch(name: string, patch: NodePatch): Promise<V1Node>;

  annotate(name: string, annotations: Record<string, string | null>): Promise<V1Node> {
    return this.mergePatch(name, { metadata: { annotations } });
  }
}

@Injectable()
export class ApiNodeGateway extends NodeGateway {
  constructor(@Inject(CORE_API) private readonly core: CoreV1Api) {
    super();
  }

  async read(name: string): Promise<V1Node | undefined> {
    try {
      return await this.core.readNode({ name });
    } catch (err) {
      if (isHttpStatus(err, 404)) return undefined;
      throw err;
    }
  }

  mergePatch(name: string, body: NodePatch): Promise<V1Node> {
    return this.core.patchNode({ name, body }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
  }
}
