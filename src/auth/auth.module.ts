// Delegated authentication and authorization: the trust store, the two guards and what they call.
import { Module } from '@nestjs/common';
import { HealthService } from '../health/health.service.js';
import { AuthenticationGuard } from './authentication.guard.js';
import { AuthorizationGuard } from './authorization.guard.js';
import { Authorizer } from './authorizer.js';
import { TokenAuthenticator } from './token-authenticator.js';
import { TrustStore } from './trust-store.js';

@Module({
  providers: [TrustStore, TokenAuthenticator, Authorizer, AuthenticationGuard, AuthorizationGuard],
  exports: [TrustStore, Authorizer, TokenAuthenticator, AuthenticationGuard, AuthorizationGuard],
})
export class AuthModule {
  constructor(trust: TrustStore, health: HealthService) {
    health.addReadinessCheck('authentication-trust', () =>
      trust.loaded ? undefined : 'the client and front-proxy CAs are not loaded yet',
    );
  }
}
