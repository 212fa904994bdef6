// Who is asking? The delegating authenticator of k8s.io/apiserver, in its order:
//   1. front proxy: a certificate chaining to the requestheader CA (clientAuth) with an allowed CN → X-Remote-*
//   2. a client certificate chaining to the client CA → CN / O
//   3. a bearer token → TokenReview
//   otherwise anonymous. Any authenticator's error with no success is a 401. X-Remote-* and Authorization
//   headers are removed after authentication, so no handler can be fooled by them.
import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { X509Certificate } from 'node:crypto';
import { requestContext } from '../apiserver/request-context.js';
import { StatusError, unauthorized } from '../apiserver/status.js';
import { TrustStore, type CaBundle, type TrustSnapshot } from './trust-store.js';
import { TokenAuthenticator } from './token-authenticator.js';
import { memoPerConnection, peerChain } from './peer-certificates.js';
import {
  checkAllowedNames,
  headersToStrip,
  userFromHeaders,
  verifyClientCertificate,
} from './request-header.js';
import { commonNameOf, userFromClientCertificate } from './client-cert-user.js';
import { bearerToken } from './bearer-token.js';
import { anonymousUser, withAuthenticatedGroup, type UserInfo } from './user-info.js';

type CertCheck = { error?: string; until: number };

/** Verification of a connection's chain against a bundle, redone when trust changes or a certificate expires. */
function verifyAgainst(
  chain: X509Certificate[],
  ca: CaBundle,
  extra?: (leaf: X509Certificate) => string | undefined,
): CertCheck {
  const now = new Date();
  const result = verifyClientCertificate(chain, ca.certs, { now, usage: 'clientAuth' });
  const until = Math.min(...chain.map((c) => Date.parse(c.validTo)));
  if (!result.ok) return { error: result.error, until };
  return { error: extra?.(chain[0]!), until };
}

/** Sets requestContext(req).user (anonymous when no credential was offered), or throws a 401 StatusError. */
@Injectable()
export class RequestAuthenticator {
  private readonly proxyChecks = new WeakMap<TLSSocket, { version: number; value: CertCheck }>();
  private readonly clientChecks = new WeakMap<TLSSocket, { version: number; value: CertCheck }>();

  constructor(
    private readonly trust: TrustStore,
    private readonly tokens: TokenAuthenticator,
  ) {}

  private check(
    memo: WeakMap<TLSSocket, { version: number; value: CertCheck }>,
    socket: TLSSocket,
    snapshot: TrustSnapshot,
    compute: () => CertCheck,
  ): CertCheck {
    const value = memoPerConnection(memo, socket, snapshot.version, compute);
    if (value.until > Date.now()) return value;
    memo.delete(socket);
    return memoPerConnection(memo, socket, snapshot.version, compute);
  }

  async authenticate(req: IncomingMessage): Promise<void> {
    const socket = req.socket as TLSSocket;
    const snapshot = this.trust.snapshot;
    const chain = peerChain(socket);
    const errors: string[] = [];
    let user: UserInfo | undefined;

    const proxy = snapshot.requestHeader;
    if (chain.length && proxy) {
      const { error } = this.check(this.proxyChecks, socket, snapshot, () =>
        verifyAgainst(chain, proxy.ca, (leaf) => checkAllowedNames(commonNameOf(leaf), proxy.allowedNames)),
      );
      if (error) errors.push(error);
      else user = userFromHeaders(req.headersDistinct, proxy);
    }
    const clientCa = snapshot.clientCa;
    if (!user && chain.length && clientCa) {
      const { error } = this.check(this.clientChecks, socket, snapshot, () => verifyAgainst(chain, clientCa));
      if (error) errors.push(error);
      else {
        const result = userFromClientCertificate(chain[0]!);
        if (result && 'error' in result) errors.push(result.error);
        else if (result) user = result.user;
      }
    }
    if (!user) {
      const token = bearerToken(req.headers.authorization);
      if (token) {
        const result = await this.tokens.authenticate(token);
        if ('error' in result) errors.push(result.error);
        else user = result.user;
      }
    }
    if (!user && errors.length) throw new StatusError(unauthorized('Unauthorized'));

    for (const name of headersToStrip(Object.keys(req.headers), proxy)) {
      delete req.headers[name];
      delete (req.headersDistinct as Record<string, unknown>)[name];
    }
    requestContext(req).user = user ? withAuthenticatedGroup(user) : anonymousUser();
  }
}
