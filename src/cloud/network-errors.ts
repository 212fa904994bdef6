// Failures that prove a request never left this machine, so that the cloud cannot have acted on it: the connection
// was refused or the endpoint's name did not resolve. A reset, a timeout or a broken pipe prove nothing of the kind.
const NOT_CONNECTED_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];
const BEFORE_SENDING = ['connect', 'getaddrinfo'];

/** A Node.js system error from connecting or resolving (as the AWS SDK passes them on). */
export function isNotConnectedError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  return (
    typeof code === 'string' &&
    NOT_CONNECTED_CODES.includes(code) &&
    typeof syscall === 'string' &&
    BEFORE_SENDING.includes(syscall)
  );
}

const NOT_CONNECTED_MESSAGE = new RegExp(
  `\\b(?:${BEFORE_SENDING.join('|')}) (?:${NOT_CONNECTED_CODES.join('|')})\\b`,
);

/**
 * The same, for SDKs that keep only the message (node-fetch, as the Tencent SDK uses it, says "request to URL failed,
 * reason: connect ECONNREFUSED 127.0.0.1:9").
 */
export function saysNotConnected(message: string): boolean {
  return NOT_CONNECTED_MESSAGE.test(message);
}

const DROPPED_CODES = ['ECONNRESET', 'EPIPE'];

/**
 * A connection that broke under the request: the peer reset or closed it (say, a load balancer ending a kept-alive
 * connection as it is reused). The AWS SDK names these `TimeoutError`, as it does real timeouts; they are not one.
 * Whether the request was read before is unknown.
 */
export function isDroppedConnection(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && DROPPED_CODES.includes(code);
}
