// Second gate of every route Nest serves: may this user do this (see request-authorizer.ts).
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { RequestAuthorizer } from './request-authorizer.js';

@Injectable()
export class AuthorizationGuard implements CanActivate {
  constructor(private readonly authorizer: RequestAuthorizer) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<Request>();
    await this.authorizer.authorize(req, req.originalUrl);
    return true;
  }
}
