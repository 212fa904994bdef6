// Discovery documents, built once from the resource catalog and served as precomputed bytes:
// the aggregator probes /apis/GROUP/v1 every 30 s and downloads /apis every minute.
import { createHash } from 'node:crypto';
import { RESOURCES, VERSION } from '../apiserver/resource-catalog.js';

export interface Document {
  body: string;
  etag: string;
}

const doc = (value: unknown): Document => {
  const body = JSON.stringify(value);
  return { body, etag: `"${createHash('sha512').update(body).digest('hex').toUpperCase()}"` };
};

export const AGGREGATED_GROUP = 'apidiscovery.k8s.io';
export const aggregatedContentType = (version: string) =>
  `application/json;g=${AGGREGATED_GROUP};v=${version};as=APIGroupDiscoveryList`;

export interface DiscoveryDocuments {
  groupList: Document;
  group: Document;
  resourceList: Document;
  aggregated: Record<'v2' | 'v2beta1', Document>;
}

export function buildDiscoveryDocuments(group: string): DiscoveryDocuments {
  const groupVersion = { groupVersion: `${group}/${VERSION}`, version: VERSION };
  const apiGroup = { name: group, versions: [groupVersion], preferredVersion: groupVersion };
  const resources = RESOURCES.flatMap((r) => [
    {
      name: r.name,
      singularName: r.singularName,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: [...r.verbs].sort(),
      shortNames: r.shortNames,
      categories: r.categories,
    },
    ...r.subresources.map((s) => ({
      name: `${r.name}/${s.name}`,
      singularName: '',
      namespaced: r.namespaced,
      kind: s.kind,
      verbs: [...s.verbs].sort(),
    })),
  ]);
  const aggregated = (apiVersion: string) =>
    doc({
      kind: 'APIGroupDiscoveryList',
      apiVersion: `${AGGREGATED_GROUP}/${apiVersion}`,
      metadata: {},
      items: [
        {
          metadata: { name: group, creationTimestamp: null },
          versions: [
            {
              version: VERSION,
              resources: RESOURCES.map((r) => ({
                resource: r.name,
                responseKind: { group: '', version: '', kind: r.kind },
                scope: r.namespaced ? 'Namespaced' : 'Cluster',
                singularResource: r.singularName,
                verbs: [...r.verbs].sort(),
                shortNames: r.shortNames,
                categories: r.categories,
                subresources: r.subresources.map((s) => ({
                  subresource: s.name,
                  responseKind: { group: '', version: '', kind: s.kind },
                  verbs: [...s.verbs].sort(),
                })),
              })),
              freshness: 'Current',
            },
          ],
        },
      ],
    });
  return {
    groupList: doc({ kind: 'APIGroupList', apiVersion: 'v1', groups: [apiGroup] }),
    group: doc({ kind: 'APIGroup', apiVersion: 'v1', ...apiGroup }),
    resourceList: doc({
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: groupVersion.groupVersion,
      resources,
    }),
    aggregated: { v2: aggregated('v2'), v2beta1: aggregated('v2beta1') },
  };
}
