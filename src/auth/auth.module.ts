// Delegated authentication and authorization: the trust store, the authenticator and authorizer of a request,
// and the two guards that run them for the routes Nest serves.
import { Module } from '@nestjs/common';
import { HealthService } from '../health/health.service.js';
import { AuthenticationGuard } from './authentication.guard.js';
import { AuthorizationGuard } from './authorization.guard.js';
import { Authorizer } from './authorizer.js';
import { RequestAuthenticator } from './request-authenticator.js';
import { RequestAuthorizer } from './request-authorizer.js';
import { TokenAuthenticator } from './token-authenticator.js';
import { TrustStore } from './trust-store.js';

@Module({
  providers: [
    TrustStore,
    TokenAuthenticator,
    Authorizer,
    RequestAuthenticator,
    RequestAuthorizer,
    AuthenticationGuard,
    AuthorizationGuard,
  ],
  exports: [
    TrustStore,
    Authorizer,
    TokenAuthenticator,
    RequestAuthenticator,
    RequestAuthorizer,
    AuthenticationGuard,
    AuthorizationGuard,
  ],
})
export class AuthModule {
  constructor(trust: TrustStore, health: HealthService) {
    health.addReadinessCheck('authentication-trust', () =>
      trust.loaded ? undefined : 'the client and front-proxy CAs are not loaded yet',
    );
  }
}
