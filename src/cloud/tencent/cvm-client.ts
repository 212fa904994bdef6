import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import * as tencentcloud from 'tencentcloud-sdk-nodejs-cvm';
import type { DynamicCredential } from 'tencentcloud-sdk-nodejs-common';
import type { CvmEndpoint } from './cvm-endpoint.js';

export const CvmClient = tencentcloud.cvm.v20170312.Client;
export type CvmClient = InstanceType<typeof CvmClient>;

/**
 * An agent that connects to `address` whatever the endpoint's host name is, so a test can keep the production host
 * name (and with it the "cvm" signing service) while talking to a local emulator.
 */
export function agentConnectingTo(address: string, protocol: CvmEndpoint['protocol']): HttpAgent {
  const family = isIP(address);
  if (family === 0) throw new Error(`connect address ${JSON.stringify(address)} is not an IP address`);
  const lookup: LookupFunction = (_host, options, callback) =>
    options.all ? callback(null, [{ address, family }]) : callback(null, address, family);
  return protocol === 'https://'
    ? new HttpsAgent({ keepAlive: true, lookup })
    : new HttpAgent({ keepAlive: true, lookup });
}

export interface CvmClientSettings {
  endpoint: CvmEndpoint;
  agent?: HttpAgent;
  credential: DynamicCredential;
  /** The SDK's own per-request timeout, a backstop behind the caller's deadline. */
  timeoutMs: number;
}

/** A CVM client for one region; `region` undefined for the calls that take none (DescribeRegions). */
export function createCvmClient(region: string | undefined, settings: CvmClientSettings): CvmClient {
  return new CvmClient({
    credential: settings.credential,
    ...(region !== undefined && { region }),
    profile: {
      language: 'en-US',
      httpProfile: {
        endpoint: settings.endpoint.host,
        protocol: settings.endpoint.protocol,
        reqTimeout: Math.max(1, Math.ceil(settings.timeoutMs / 1000)),
        ...(settings.agent !== undefined && { agent: settings.agent }),
      },
    },
  });
}
