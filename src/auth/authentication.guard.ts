// First gate of every route Nest serves: who is asking (see request-authenticator.ts).
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { RequestAuthenticator } from './request-authenticator.js';

@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(private readonly authenticator: RequestAuthenticator) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    await this.authenticator.authenticate(ctx.switchToHttp().getRequest<Request>());
    return true;
  }
}
