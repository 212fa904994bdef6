// What the guards learn about a request (who, what, the decision), kept on the request object so the
// controllers and the request log can use it without recomputing anything.
import type { IncomingMessage } from 'node:http';
import type { RequestInfo } from './request-info.js';

export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export interface RequestAttributes {
  verb: string;
  resource?: string;
  subresource?: string;
  name?: string;
  path: string;
}

export class RequestContext {
  user?: UserInfo;
  attributes?: RequestAttributes;
  /** The whole RequestInfo the authorization guard computed (metrics labels). */
  requestInfo?: RequestInfo;
  decision?: 'allow' | 'deny' | 'error';
  reason?: string;

  logFields(): Record<string, unknown> {
    const a = this.attributes;
    return {
      user: this.user?.name,
      verb: a?.verb,
      resource: a?.resource && (a.subresource ? `${a.resource}/${a.subresource}` : a.resource),
      name: a?.name,
      decision: this.decision,
    };
  }
}

const KEY = Symbol('kcnm.requestContext');

export function requestContext(req: IncomingMessage): RequestContext {
  const holder = req as IncomingMessage & { [KEY]?: RequestContext };
  return (holder[KEY] ??= new RequestContext());
}
