// The reads kube-apiserver, kubectl and controllers send most — the routes of the read table (read-routes.ts) —
// answered without Express's router and Nest's per-request pipeline, which took a quarter to a third of these
// requests' CPU (docs/benchmark.md). The steps are the ones Nest runs for the same route: authenticate,
// authorize, the route's answer, the same bytes out (reply.ts). Only the canonical form of each path is taken
// (no trailing slash, no escapes, no body); any other request goes on to Express untouched.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeError, writeReply } from './reply.js';
import { queryOf, type Answer, type ReadRouteTable } from './read-routes.js';

/** The same authenticator and authorizer the guards run (src/auth). */
export interface ReadFastPathParts {
  authenticator: { authenticate(req: IncomingMessage): Promise<unknown> };
  authorizer: { authorize(req: IncomingMessage, target: string): Promise<unknown> };
  routes: ReadRouteTable;
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

export class ReadFastPath {
  constructor(private readonly parts: ReadFastPathParts) {}

  /** Takes the request and answers it (true), or leaves it alone (false). */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET' || hasBody(req)) return false;
    const target = req.url ?? '';
    const q = target.indexOf('?');
    const route = this.parts.routes.match(q === -1 ? target : target.slice(0, q));
    if (!route) return false;
    void this.serve(req, res, target, route.answer, route.params);
    return true;
  }

  private async serve(
    req: IncomingMessage,
    res: ServerResponse,
    target: string,
    answer: Answer,
    params: Record<string, string>,
  ): Promise<void> {
    try {
      await this.parts.authenticator.authenticate(req);
      await this.parts.authorizer.authorize(req, target);
      writeReply(res, await answer({ params, query: queryOf(target), headers: req.headers }));
    } catch (err) {
      writeError(res, err);
    }
  }
}
