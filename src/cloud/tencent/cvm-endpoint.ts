// The CVM endpoint setting, apart from the client so that reading the options does not load the Tencent SDK.

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
