// Failures that prove a request never left this machine, so that the cloud cannot have acted on it, by the system
// call that failed: the connection was refused or unreachable, the endpoint's name did not resolve, or the write of
// the request failed because the peer had already reset or closed the connection (a kept-alive connection the
// cloud's end closed while it was idle, just as it was reused). Node.js writes a request's header and body as one
// write (the socket stays corked until then), and a write the kernel refuses sends nothing: Go's net/http retries
// such a request for the same reason (net/http/transport.go, nothingWrittenError). A reset or a timeout while
// reading the answer proves nothing of the kind.
const UNSENT: Readonly<Record<string, readonly string[]>> = {
  connect: ['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH'],
  getaddrinfo: ['ENOTFOUND', 'EAI_AGAIN'],
  write: ['ECONNRESET', 'EPIPE'],
  writev: ['ECONNRESET', 'EPIPE'],
};

/** A Node.js system error from connecting, resolving or writing that sent nothing (as the AWS SDK passes them on). */
export function isNotConnectedError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  return (
    typeof code === 'string' &&
    typeof syscall === 'string' &&
    Object.hasOwn(UNSENT, syscall) &&
    UNSENT[syscall]!.includes(code)
  );
}

/** Whether the request failed in writing it: the connection was closed before it was sent. */
export function closedBeforeSending(error: unknown): boolean {
  const syscall = typeof error === 'object' && error !== null ? (error as { syscall?: unknown }).syscall : '';
  return isNotConnectedError(error) && (syscall === 'write' || syscall === 'writev');
}

const NOT_CONNECTED_MESSAGE = new RegExp(
  `\\b(?:${Object.entries(UNSENT)
    .map(([syscall, codes]) => `${syscall} (?:${codes.join('|')})`)
    .join('|')})\\b`,
);

/**
 * The same, for SDKs that keep only the message (node-fetch, as the Tencent SDK uses it, says "request to URL failed,
 * reason: connect ECONNREFUSED 127.0.0.1:9", or "…reason: write EPIPE").
 */
export function saysNotConnected(message: string): boolean {
  return NOT_CONNECTED_MESSAGE.test(message);
}

const DROPPED_CODES = ['ECONNRESET', 'EPIPE'];

/**
 * A connection that broke under the request after it was sent: the peer reset or closed it while the answer was
 * awaited. The AWS SDK names these `TimeoutError`, as it does real timeouts; they are not one. Whether the request
 * was read before is unknown.
 */
export function isDroppedConnection(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && DROPPED_CODES.includes(code) && !isNotConnectedError(error);
}
