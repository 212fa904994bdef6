import type { IncomingCall } from './cloud-emulator.js';

/** The parts of a request a signature covers. */
export type SignedRequest = Pick<IncomingCall, 'method' | 'rawUrl' | 'headersDistinct' | 'body'>;

export function splitRawUrl(rawUrl: string): { path: string; query: string } {
  const queryStart = rawUrl.indexOf('?');
  return queryStart < 0
    ? { path: rawUrl, query: '' }
    : { path: rawUrl.slice(0, queryStart), query: rawUrl.slice(queryStart + 1) };
}

export function firstHeader(
  request: Pick<IncomingCall, 'headersDistinct'>,
  name: string,
): string | undefined {
  return request.headersDistinct[name]?.[0];
}
