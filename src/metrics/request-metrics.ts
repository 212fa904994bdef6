// apiserver_request_total, apiserver_request_duration_seconds and apiserver_longrunning_requests, named, labelled
// and bucketed as k8s.io/apiserver has them, so dashboards made for Go servers work. Requests are recorded by the
// request log's response-end hook, with the RequestInfo the authorization guard already computed; as in Go
// (endpoints/metrics MonitorRequest), a watch's duration is observed when it ends, under verb WATCH, which latency
// queries leave out as they leave out Go's; while open, a watch is counted by apiserver_longrunning_requests
// (RecordLongRunning), read from the open watches at scrape time.
import { Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram } from 'prom-client';
import { openWatchRequests } from '../apiserver/watch/watch-stream.js';
import { newRequestInfo, type RequestInfo } from '../apiserver/request-info.js';
import { requestContext } from '../apiserver/request-context.js';
import { ServerOptions } from '../config/server-options.js';
import { MetricsRegistry } from './metrics-registry.js';
import { REQUEST_LABEL_NAMES, RequestLabeler } from './request-labels.js';

const BUCKETS = [
  0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60,
];

/** The guard's RequestInfo; parsed here only for requests refused before it ran (401, 404 of no route). */
function requestInfoOf(req: IncomingMessage, target: string): RequestInfo | undefined {
  const info = requestContext(req).requestInfo;
  if (info !== undefined) return info;
  try {
    return newRequestInfo(req.method ?? 'GET', target);
  } catch {
    return undefined;
  }
}

@Injectable()
export class RequestMetrics {
  private readonly labeler: RequestLabeler;
  private readonly total: Counter<(typeof REQUEST_LABEL_NAMES)[number] | 'code'>;
  private readonly duration: Histogram<(typeof REQUEST_LABEL_NAMES)[number]>;

  constructor(metrics: MetricsRegistry, options: ServerOptions) {
    this.labeler = new RequestLabeler(options.apiGroup);
    const labelsOf = (req: IncomingMessage) => this.labelsOf(req, requestTarget(req));
    new Gauge({
      name: 'apiserver_longrunning_requests',
      help:
        'Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope ' +
        'and component. Not all requests are tracked this way.',
      labelNames: LONG_RUNNING_LABEL_NAMES,
      registers: [metrics.registry],
      collect() {
        this.reset();
        for (const req of openWatchRequests()) {
          const labels = labelsOf(req);
          this.inc(Object.fromEntries(LONG_RUNNING_LABEL_NAMES.map((name) => [name, labels[name]])));
        }
      },
    });
    this.total = new Counter({
      name: 'apiserver_request_total',
      help:
        'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, ' +
        'component, and HTTP response code.',
      labelNames: [...REQUEST_LABEL_NAMES, 'code'],
      registers: [metrics.registry],
    });
    this.duration = new Histogram({
      name: 'apiserver_request_duration_seconds',
      help:
        'Response latency distribution in seconds for each verb, dry run value, group, version, resource, ' +
        'subresource, scope and component.',
      labelNames: REQUEST_LABEL_NAMES,
      buckets: BUCKETS,
      registers: [metrics.registry],
    });
  }

  /** Records a request whose response has ended (or was aborted); `target` is its raw URL. */
  readonly observe = (req: IncomingMessage, res: ServerResponse, target: string, seconds: number): void => {
    const labels = this.labelsOf(req, target);
    this.duration.observe(labels, seconds);
    this.total.inc({ ...labels, code: String(res.statusCode) });
  };

  private labelsOf(req: IncomingMessage, target: string) {
    const q = target.indexOf('?');
    return this.labeler.labels({
      method: req.method ?? 'GET',
      rawQuery: q === -1 ? '' : target.slice(q + 1),
      contentType: req.headers['content-type'],
      info: requestInfoOf(req, target),
    });
  }
}

const LONG_RUNNING_LABEL_NAMES = REQUEST_LABEL_NAMES.filter((name) => name !== 'dry_run');

/** The request's raw target: Express keeps it as originalUrl where it rewrites url for a mounted router. */
function requestTarget(req: IncomingMessage): string {
  return (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '';
}
