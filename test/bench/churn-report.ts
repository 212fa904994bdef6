// The churn's line in the scale report: the rate delivered (and consumed, replayed), our CPU, the RSS samples
// and their slope.
import type { ChurnResult } from './churn.js';
import { leastSquaresSlope } from './our-metrics.js';

/** Least-squares slope of samples taken every `intervalS` seconds, per minute. */
export function slopePerMinute(samples: number[], intervalS = 10): number {
  if (samples.length < 2) return NaN;
  return leastSquaresSlope(
    samples.map((_, i) => (i * intervalS) / 60),
    samples,
  );
}

export function renderChurn(churn: ChurnResult): string {
  // The last sample is taken at the end, not on the 10 s grid: the slope uses the periodic ones.
  const periodic = churn.rssMiB.slice(0, -1);
  const half = periodic.slice(Math.floor(periodic.length / 2));
  const rate =
    churn.source === 'replay'
      ? `replayed through the proxy: ${churn.updatesPerSecond.toFixed(0)} status updates/s delivered, ` +
        `${churn.consumedPerSecond!.toFixed(0)}/s consumed by our server (lag every 10 s: ${churn.lag!.join(', ')})`
      : `through the control plane: ${churn.updatesPerSecond.toFixed(0)} status updates/s reached`;
  const linear =
    churn.source === 'apiserver'
      ? `, ${((churn.cpuMsPerUpdate * churn.rate) / 1000).toFixed(2)} core at ${churn.rate}/s if linear`
      : '';
  const others = churn.otherCores;
  return (
    `Churn at ${churn.nodes} Nodes for ${churn.seconds} s, ${churn.rate}/s asked, ${rate}; ` +
    `our CPU ${churn.cpuCores.toFixed(3)} core (${churn.cpuMsPerUpdate.toFixed(3)} ms per update${linear}), ` +
    `${churn.failed} ${churn.source === 'replay' ? 'not consumed' : 'failed'}; meanwhile kube-apiserver ` +
    `${others.kubeApiserver.toFixed(2)}, etcd ${others.etcd.toFixed(2)}, the driver ${others.driver.toFixed(2)} core. ` +
    `RSS every 10 s: ${churn.rssMiB.map((x) => x.toFixed(0)).join(', ')} MiB; slope ` +
    `${slopePerMinute(periodic).toFixed(2)} MiB/min over the run, ${slopePerMinute(half).toFixed(2)} over its second half. ` +
    `V8 heap used / committed every 10 s: ${churn.heap.usedMiB.map((x, i) => `${x.toFixed(0)}/${churn.heap.totalMiB[i]!.toFixed(0)}`).join(', ')} MiB`
  );
}
