import type { CloudPlugin } from '../contract/plugin.js';
import { awsCloud } from './aws-cloud.js';
import { type AwsSettings, awsSettings } from './aws-settings.js';

// EC2 throttles with a token bucket per account, region and API
// (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html); its published example is the
// non-mutating DescribeHosts, 100 tokens refilled 20 a second. Mutating calls get less, and the account's buckets are
// shared with every other tool using it, so this server keeps to a conservative 5 a second (burst 5): with up to
// 100 instances per RebootInstances that is still 500 reboots a second. EC2 documents no instance limit per call;
// 100 is Tencent's.
const EC2_RATE = { perSecond: 5, burst: 5 };

export const awsPlugin: CloudPlugin<'aws', AwsSettings> = {
  definition: awsCloud,
  settings: awsSettings,
  async createProvider({ endpoint }, { timeoutMs, maxAttempts }, observer) {
    const { AwsProvider } = await import('./aws-provider.js');
    return new AwsProvider({ timeoutMs, maxAttempts, observer, ...(endpoint !== undefined && { endpoint }) });
  },
  limits: {
    rates: { RebootInstances: EC2_RATE, StopInstances: EC2_RATE, StartInstances: EC2_RATE },
    rebootBatch: 100,
  },
};
