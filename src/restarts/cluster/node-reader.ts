// What restarts read of Nodes: the Node informer's cache (src/kube/node-cache.ts), so no read is a round trip.
// Injected as NodeCache; tests give an in-memory cluster of the same shape.
import type { NodeCache } from '../../kube/node-cache.js';

export type NodeReader = Pick<NodeCache, 'synced' | 'get' | 'list' | 'onChange'>;
