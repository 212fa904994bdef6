// Nest's side of the read routes: one controller generated from the table, a GET handler per route, so Express's
// routing (decoding, a trailing slash, any letter case) and the guards apply as to any controller, and the answer
// is the one the read fast path gives for the canonical form.
import {
  Controller,
  Get,
  Inject,
  Injectable,
  Module,
  Req,
  Res,
  type DynamicModule,
  type OnModuleInit,
  type Type,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Request } from 'express';
import type { ServerResponse } from 'node:http';
import { writeReply } from './reply.js';
import { ReadRouteTable, queryOf, type ApiRequest, type ReadRoute } from './read-routes.js';

const ROUTES = Symbol('read routes');

/** The table with each route's service found; ready once the application is initialised. */
@Injectable()
export class ReadRoutes implements OnModuleInit {
  table!: ReadRouteTable;

  constructor(
    @Inject(ROUTES) private readonly routes: readonly ReadRoute[],
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    const answers = this.routes.map((route) => {
      const service: unknown = this.moduleRef.get(route.service, { strict: false });
      return (req: ApiRequest) => route.answer(service, req);
    });
    this.table = new ReadRouteTable(
      answers,
      this.routes.map((r) => r.path),
    );
  }
}

function readRoutesController(routes: readonly ReadRoute[]): Type {
  @Controller()
  class ReadRoutesController {
    constructor(@Inject(ReadRoutes) readonly reads: ReadRoutes) {}
  }
  const prototype = ReadRoutesController.prototype as unknown as Record<string, unknown>;
  routes.forEach((route, i) => {
    const name = `GET /${route.path}`;
    Object.defineProperty(prototype, name, {
      async value(this: ReadRoutesController, req: Request, res: ServerResponse) {
        // Only a wildcard (`*name`) parameter is an array; the table's paths have named segments alone.
        const params = req.params as Record<string, string>;
        const answer = this.reads.table.answers[i]!;
        writeReply(res, await answer({ params, query: queryOf(req.url), headers: req.headers }));
      },
      configurable: true,
      writable: true,
    });
    Get(route.path)(prototype, name, Object.getOwnPropertyDescriptor(prototype, name)!);
    Req()(prototype, name, 0);
    Res()(prototype, name, 1);
  });
  return ReadRoutesController;
}

@Module({})
export class ReadRoutesModule {
  /** Import it before the modules whose controllers serve other methods on the same paths (a 405). */
  static forRoutes(routes: readonly ReadRoute[]): DynamicModule {
    return {
      module: ReadRoutesModule,
      controllers: [readRoutesController(routes)],
      providers: [{ provide: ROUTES, useValue: routes }, ReadRoutes],
      exports: [ReadRoutes],
    };
  }
}
