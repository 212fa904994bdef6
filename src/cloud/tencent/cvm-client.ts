import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import * as tencentcloud from 'tencentcloud-sdk-nodejs-cvm';
import type { DynamicCredential } from 'tencentcloud-sdk-nodejs-common';

export const CvmClient = tencentcloud.cvm.v20170312.Client;
export type CvmClient = InstanceType<typeof CvmClient>;

export interface CvmEndpoint {
  /** host[:port], as the SDK's httpProfile.endpoint takes it. */
  host: string;
  protocol: 'http://' | 'https://';
}

export const DEFAULT_CVM_ENDPOINT: CvmEndpoint = { host: 'cvm.tencentcloudapi.com', protocol: 'https://' };

const HOST_AND_PORT = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?::\d{1,5})?$/i;

/**
 * "cvm.internal.tencentcloudapi.com", "https://cvm.ap-guangzhou.tencentcloudapi.com" or "http://127.0.0.1:9000"; a
 * bare host means https. Undefined when the text is none of these. The SDK signs for the service named by the host's
 * first label, so a host that does not start with "cvm." is only good for an emulator that accepts any service.
 */
export function parseCvmEndpoint(text: string): CvmEndpoint | undefined {
  const match = /^(https?:\/\/)?([^/]+)\/?$/i.exec(text.trim());
  const host = match?.[2];
  if (match === null || host === undefined || !HOST_AND_PORT.test(host)) return undefined;
  return { host, protocol: match[1]?.toLowerCase() === 'http://' ? 'http://' : 'https://' };
}

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
