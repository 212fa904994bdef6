// AWS availability zone → region, ported from kubernetes/cloud-provider-aws pkg/providers/v1/aws.go azToRegion:
// the region is the leading run of "word-" groups followed by a number, so local and Wavelength zones work too
// (us-west-2-lax-1a → us-west-2, us-east-1-wl1-bos-wlz-1 → us-east-1, us-gov-east-1a, cn-north-1a, us-isob-east-1a).
// Zone and region names are lowercase; parseAwsProviderID has already rejected anything else.
const REGION_PREFIX = /^(?:[a-z]+-)+\d+/;

/** An AWS region name: us-east-1, us-gov-west-1, cn-northwest-1, us-iso-east-1. */
export const AWS_REGION = /^(?:[a-z]+-)+\d+$/;

export function awsZoneToRegion(zone: string): string | undefined {
  return REGION_PREFIX.exec(zone)?.[0];
}
