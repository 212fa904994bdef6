// Cloud API calls by cloud, action and outcome, and their latency: what the providers report through their
// CloudCallObserver, once per call (retries included).
import { Counter, Histogram, type Registry } from 'prom-client';
import { type CloudCallObserver, callOutcome } from '../cloud/contract/call.js';

// Cloud calls take tens of milliseconds to seconds; the deadline (CLOUD_TIMEOUT) bounds them.
const BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60];

export function cloudCallMetrics(registry: Registry): CloudCallObserver {
  const total = new Counter({
    name: 'cloud_node_manager_cloud_api_requests_total',
    help: 'Cloud API calls by cloud, action (e.g. RebootInstances) and outcome (success or the CloudError kind).',
    labelNames: ['cloud', 'action', 'outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'cloud_node_manager_cloud_api_request_duration_seconds',
    help: 'Latency of cloud API calls in seconds, retries included, by cloud and action.',
    labelNames: ['cloud', 'action'],
    buckets: BUCKETS,
    registers: [registry],
  });
  return (call, seconds, error) => {
    total.inc({ cloud: call.cloud, action: call.action, outcome: callOutcome(error) });
    duration.observe({ cloud: call.cloud, action: call.action }, seconds);
  };
}
