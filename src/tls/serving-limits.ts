// The limits k8s.io/apiserver's secure serving puts on every client (pkg/server/secure_serving.go, v0.36), so a
// slow or hostile connection costs what it costs a Go server and no more:
// - headers up to 1 MiB in all (http.Server.MaxHeaderBytes): kube-apiserver forwards one X-Remote-Group line per
//   group, and a user in hundreds of groups, or a long `labelSelector`, passes Node's 16 KiB default;
// - 32 s for the TLS handshake and again for the request's headers (ReadHeaderTimeout; net/http gives the
//   handshake the same deadline), 60 s for the whole request (the --request-timeout Go applies to each request),
//   90 s idle between requests (IdleTimeout);
// - no renegotiation: crypto/tls servers refuse it, Node allows a client three per ten minutes by default;
// - at most --max-connections open at once, so idle sockets cannot hold memory without bound (Go has no such cap;
//   a handshaken TLS socket here holds ~70 KiB of RSS however little it sends, and the process keeps that memory
//   for the next connections after it closes: test/bench/idle-connections.ts).
import type { Server } from 'node:https';
import type { ServerOptions as HttpsServerOptions } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';
import type { IncomingMessage } from 'node:http';

export const MAX_HEADER_BYTES = 1 << 20;
export const READ_HEADER_TIMEOUT_MS = 32_000;
export const REQUEST_TIMEOUT_MS = 60_000;
export const IDLE_TIMEOUT_MS = 90_000;
/** How often Node checks the header and request deadlines (its default, 30 s, would stretch them by as much). */
const DEADLINE_CHECK_INTERVAL_MS = 1_000;

/** The options of https.createServer that carry the limits. */
export const SERVING_LIMITS: HttpsServerOptions = {
  maxHeaderSize: MAX_HEADER_BYTES,
  handshakeTimeout: READ_HEADER_TIMEOUT_MS,
  headersTimeout: READ_HEADER_TIMEOUT_MS,
  requestTimeout: REQUEST_TIMEOUT_MS,
  keepAliveTimeout: IDLE_TIMEOUT_MS,
  connectionsCheckingInterval: DEADLINE_CHECK_INTERVAL_MS,
};

/**
 * The limits that are set on the server once it exists; after every other 'request' listener is in place. Node
 * starts a request's header deadline at its first byte, so a client sending one byte every few seconds would get
 * 32 s more; Go counts from the end of the handshake, and so does the deadline of a connection's first request here.
 */
export function limitConnections(server: Server, maxConnections: number): void {
  server.maxConnections = maxConnections;
  const firstRequestDeadlines = new WeakMap<Socket, NodeJS.Timeout>();
  server.on('secureConnection', (socket: TLSSocket) => {
    socket.disableRenegotiation();
    const deadline = setTimeout(() => socket.destroy(), READ_HEADER_TIMEOUT_MS).unref();
    firstRequestDeadlines.set(socket, deadline);
    socket.once('close', () => clearTimeout(deadline));
  });
  server.prependListener('request', (req: IncomingMessage) => {
    clearTimeout(firstRequestDeadlines.get(req.socket));
    firstRequestDeadlines.delete(req.socket);
  });
}
