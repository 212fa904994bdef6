// /apis, /apis/GROUP and /apis/GROUP/v1: the reads kube-apiserver's aggregator and every client's discovery send.
import { readRoute } from '../apiserver/read-routes.js';
import { ApiDiscoveryService } from './api-discovery.service.js';

export const DISCOVERY_ROUTES = [
  readRoute({
    path: 'apis',
    service: ApiDiscoveryService,
    answer: (discovery, { headers }) => discovery.apis(headers.accept, headers['if-none-match']),
  }),
  readRoute({
    path: 'apis/:group',
    service: ApiDiscoveryService,
    answer: (discovery, { params, headers }) => discovery.group(params.group!, headers.accept),
  }),
  readRoute({
    path: 'apis/:group/:version',
    service: ApiDiscoveryService,
    answer: (discovery, { params, headers }) =>
      discovery.resources(params.group!, params.version!, headers.accept),
  }),
];
