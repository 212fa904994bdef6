// What each cloud allows its mutating calls (cloud-apis.md item 18 and §1.4, and the pages cited below). A cloud
// without an entry (the simulated one) is neither paced nor batched.
import type { CloudName } from '../registry/clouds.js';
import type { RateLimits } from '../pacing/call-pacer.js';

export interface CloudLimits {
  rates: RateLimits;
  /** Most instances one RebootInstances takes. */
  rebootBatch: number;
}

// Tencent CVM: RebootInstances 10 requests a second (https://tencentcloud.com/document/api/213/33256); Stop and
// Start document no other figure, so they get the same. At most 100 InstanceIds per call
// (InvalidParameterValue.LimitExceeded beyond).
const CVM_RATE = { perSecond: 10, burst: 10 };

// EC2 throttles with a token bucket per account, region and API
// (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html); its published example is the
// non-mutating DescribeHosts, 100 tokens refilled 20 a second. Mutating calls get less, and the account's buckets are
// shared with every other tool using it, so this server keeps to a conservative 5 a second (burst 5): with up to
// 100 instances per RebootInstances that is still 500 reboots a second. EC2 documents no instance limit per call;
// 100 is the reference's recommendation, matching Tencent.
const EC2_RATE = { perSecond: 5, burst: 5 };

export const CLOUD_LIMITS: Readonly<Partial<Record<CloudName, CloudLimits>>> = {
  aws: {
    rates: { RebootInstances: EC2_RATE, StopInstances: EC2_RATE, StartInstances: EC2_RATE },
    rebootBatch: 100,
  },
  tencent: {
    rates: { RebootInstances: CVM_RATE, StopInstances: CVM_RATE, StartInstances: CVM_RATE },
    rebootBatch: 100,
  },
};
