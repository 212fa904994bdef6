// The API's reads, each declared once: a path shape, the service that answers it and how. Nest serves every
// form of these paths from the table (read-routes.module.ts), and the read fast path takes their canonical form
// from the same table (read-fast-path.ts), so both give the same answer. Writes stay Nest controllers: they need
// a body, validation and Nest's pipeline, and are sent far less often.
import type { IncomingHttpHeaders } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Type } from '@nestjs/common';
import type { HttpReply } from './status.js';

/** A read as its answer sees it, whichever way it came in. */
export interface ApiRequest {
  /** The path's parameters, by the names in the route's path (`:group`), decoded. */
  params: Readonly<Record<string, string>>;
  /**
   * The query, parsed by node:querystring (Express 5's default parser). A repeated parameter arrives as an array,
   * which the answers' checks refuse as text (`invalid value for limit: "1,2"`), as they did behind @Query().
   */
  query: Readonly<Record<string, string | undefined>>;
  headers: IncomingHttpHeaders;
}

export interface ReadRoute<S = unknown> {
  /** Express's path syntax without the leading slash: `apis/:group/:version/nodes/:name`. */
  path: string;
  /** The provider the answer is given, found in Nest's container. */
  service: Type<S>;
  answer: (service: S, req: ApiRequest) => HttpReply | Promise<HttpReply>;
}

/** A route whose answer is typed by its service. */
export const readRoute = <S>(route: ReadRoute<S>): ReadRoute => route as ReadRoute;

export function queryOf(url: string): ApiRequest['query'] {
  const q = url.indexOf('?');
  return q === -1 ? {} : (parseQuery(url.slice(q + 1)) as ApiRequest['query']);
}

export type Answer = (req: ApiRequest) => HttpReply | Promise<HttpReply>;

/** The routes with their services found, and the canonical form of each path. */
export class ReadRouteTable {
  private readonly segments: string[][];

  constructor(
    readonly answers: readonly Answer[],
    paths: readonly string[],
  ) {
    this.segments = paths.map((p) => p.split('/'));
  }

  /**
   * The route and parameters of a path in its canonical form only: `/` and literal segments exactly as declared,
   * no empty segment, no trailing slash, no escape. Every other form is left to Express's routing.
   */
  match(path: string): { answer: Answer; params: Record<string, string> } | undefined {
    if (path.includes('%')) return undefined;
    const s = path.split('/');
    if (s[0] !== '' || s.includes('', 1)) return undefined;
    for (let i = 0; i < this.segments.length; i++) {
      const shape = this.segments[i]!;
      if (shape.length !== s.length - 1) continue;
      const params: Record<string, string> = {};
      const matches = shape.every((part, j) => {
        const segment = s[j + 1]!;
        if (part.startsWith(':')) params[part.slice(1)] = segment;
        return part.startsWith(':') || part === segment;
      });
      if (matches) return { answer: this.answers[i]!, params };
    }
    return undefined;
  }
}
