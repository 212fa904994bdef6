#!/usr/bin/env node
// kubectl_complete-restart: shell completion of `kubectl restart` for kubectl's plugin completion (completion.ts).
// kubectl runs it when it finds it on PATH next to kubectl-restart.
import { completions } from './completion.js';
import { KubeClient } from './kube-client.js';
import { API, type NodeList } from './resources.js';

const nodeNames = async (connection: Parameters<typeof KubeClient.load>[0]) => {
  const client = KubeClient.load({ ...connection, requestTimeoutMs: connection.requestTimeoutMs ?? 5_000 });
  const list = await client.request<NodeList>('GET', `${API}/nodes`);
  return list.items.map((n) => n.metadata.name);
};

completions(process.argv.slice(2), nodeNames).then(
  (lines) => process.stdout.write(`${lines.join('\n')}\n`),
  () => process.stdout.write(':4\n'),
);
