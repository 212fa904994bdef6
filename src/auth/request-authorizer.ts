// May this user do this? RequestInfo → system:masters / always-allow paths / SubjectAccessReview.
// Fails closed: a review that cannot be made refuses the request, and no handler runs.
import { Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { requestContext } from '../apiserver/request-context.js';
import { NOSNIFF_HEADER, StatusError, badRequest, internalError } from '../apiserver/status.js';
import { Authorizer } from './authorizer.js';
import { InvalidRequestUriError, newRequestInfo, type RequestInfo } from '../apiserver/request-info.js';
import { forbiddenStatus } from './subject-access-review.js';

/** Allows the authenticated request (recording the decision in requestContext) or throws a StatusError. */
@Injectable()
export class RequestAuthorizer {
  private readonly log = new Logger(RequestAuthorizer.name);

  constructor(private readonly authorizer: Authorizer) {}

  /** `requestTarget` is the request's raw target (Node's req.url, before any router rewrote it). */
  async authorize(req: IncomingMessage, requestTarget: string): Promise<void> {
    const rc = requestContext(req);
    const user = rc.user!;
    let info: RequestInfo;
    try {
      info = newRequestInfo(req.method ?? '', requestTarget);
    } catch (err) {
      rc.decision = 'error';
      throw new StatusError(
        err instanceof InvalidRequestUriError ? badRequest(err.message) : internalError(err),
      );
    }
    rc.requestInfo = info;
    rc.attributes = {
      verb: info.verb,
      resource: info.resource,
      subresource: info.subresource,
      name: info.name,
      path: info.path,
    };
    let decision;
    try {
      decision = await this.authorizer.authorize(user, info);
    } catch (err) {
      rc.decision = 'error';
      this.log.error(`authorization of ${user.name} failed: ${(err as Error).message}`);
      throw new StatusError(
        internalError(`authorization could not be checked: ${(err as Error).message}`),
        NOSNIFF_HEADER,
      );
    }
    if (decision.error) {
      rc.decision = 'error';
      throw new StatusError(internalError(decision.error), NOSNIFF_HEADER);
    }
    if (decision.decision !== 'allow') {
      rc.decision = 'deny';
      throw new StatusError(forbiddenStatus(user, info, decision.reason), NOSNIFF_HEADER);
    }
    rc.decision = 'allow';
  }
}
