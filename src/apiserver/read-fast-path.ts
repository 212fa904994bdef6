// The reads kube-apiserver, kubectl and controllers send most — discovery and GETs of our nodes — answered
// without Express's router and Nest's per-request pipeline, which took a quarter to a third of these requests'
// CPU (docs/benchmark.md). The steps are the ones Nest runs for the same route: authenticate, authorize, the
// same service or controller method, the same bytes out (src/common/reply.ts). Only the canonical form of each
// path is taken (no trailing slash, no escapes, no body); any other request goes on to Express untouched.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { HttpReply } from './status.js';
import { jsonReply, writeError, writeReply } from './reply.js';
import type { RequestAuthenticator } from '../auth/request-authenticator.js';
import type { RequestAuthorizer } from '../auth/request-authorizer.js';
import type { ApiDiscoveryService } from '../api-discovery/api-discovery.service.js';
import type { NodesController } from '../nodes/nodes.controller.js';

type Answer = (req: IncomingMessage, query: string) => HttpReply | Promise<HttpReply>;

export interface ReadFastPathParts {
  authenticator: RequestAuthenticator;
  authorizer: RequestAuthorizer;
  discovery: ApiDiscoveryService;
  nodes: NodesController;
}

/** Express 5's default ("simple") query parser, so each parameter reads as it does through Nest's @Query(). */
const queryOf = (raw: string) => parseQuery(raw) as Record<string, string | undefined>;

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
    const path = q === -1 ? target : target.slice(0, q);
    const answer = this.route(path);
    if (!answer) return false;
    void this.serve(req, res, target, answer, q === -1 ? '' : target.slice(q + 1));
    return true;
  }

  private route(path: string): Answer | undefined {
    if (!path.startsWith('/apis') || path.includes('%') || path.endsWith('/')) return undefined;
    const s = path.split('/');
    if (s[1] !== 'apis' || s.includes('', 2) || s.length > 6) return undefined;
    const { discovery, nodes } = this.parts;
    const [, , group = '', version = '', resource, name] = s;
    switch (s.length) {
      case 2:
        return (req) => discovery.apis(req.headers.accept, req.headers['if-none-match']);
      case 3:
        return (req) => discovery.group(group, req.headers.accept);
      case 4:
        return (req) => discovery.resources(group, version, req.headers.accept);
    }
    if (resource !== 'nodes') return undefined;
    if (name === undefined)
      return async (req, query) =>
        jsonReply(await nodes.list(group, version, req.headers.accept, queryOf(query)));
    return async (req, query) =>
      jsonReply(await nodes.get(group, version, name, req.headers.accept, queryOf(query).includeObject));
  }

  private async serve(
    req: IncomingMessage,
    res: ServerResponse,
    target: string,
    answer: Answer,
    query: string,
  ): Promise<void> {
    try {
      await this.parts.authenticator.authenticate(req);
      await this.parts.authorizer.authorize(req, target);
      writeReply(res, await answer(req, query));
    } catch (err) {
      writeError(res, err);
    }
  }
}
