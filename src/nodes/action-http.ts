// The HTTP side of the action subresources (restart, reset, stop, start), what each controller does around its
// service: check the group and version, refuse a body that is not JSON, find the user; then answer 202 Accepted, or
// 200 for a dry run, which changed nothing; any other method is a 405.
import type { Request, Response } from 'express';
import { createOptionsFromQuery, responseWarnings } from '../apiserver/create-options.js';
import { duplicateFieldsOf } from '../apiserver/duplicate-fields.js';
import { hasUndecodedBody, JSON_MEDIA_TYPES } from '../apiserver/json-body.js';
import { requestContext, type UserInfo } from '../apiserver/request-context.js';
import { StatusError, methodNotAllowed, unsupportedMediaType } from '../apiserver/status.js';
import { requireServedGroupVersion } from '../apiserver/group-version.js';
import type { ActionRequest } from './action-options.js';

export interface ActionCall {
  user: UserInfo;
  request: ActionRequest;
}

/** Routes are apis/:group/:version/nodes/:name/<action>; unknown fields may become warnings on `res`. */
export function actionCall(servedGroup: string, req: Request, res: Response): ActionCall {
  const { group = '', version = '', name = '' } = req.params as Record<string, string | undefined>;
  requireServedGroupVersion(servedGroup, group, version);
  if (hasUndecodedBody(req)) throw new StatusError(unsupportedMediaType(JSON_MEDIA_TYPES));
  const options = createOptionsFromQuery(req.query);
  return {
    user: requestContext(req).user ?? { name: '', groups: [] },
    request: {
      group,
      nodeName: name,
      body: req.body as unknown,
      options,
      warn: responseWarnings(res),
      duplicates: duplicateFieldsOf(req),
    },
  };
}

/** The method's status is 202 (@HttpCode); a dry run answers 200. */
export async function answered<T>(res: Response, dryRun: boolean, work: Promise<T>): Promise<T> {
  const answer = await work;
  if (dryRun) res.status(200);
  return answer;
}

/** Any other method on an action subresource of ours: 405. */
export function otherMethod(servedGroup: string, req: Request): never {
  const { group = '', version = '' } = req.params as Record<string, string | undefined>;
  requireServedGroupVersion(servedGroup, group, version);
  throw new StatusError(methodNotAllowed());
}
