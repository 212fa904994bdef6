// The writes every stored resource of ours answers as kube-apiserver does: POST creates (201), PATCH takes a JSON
// merge patch only (strategic merge patch is for built-in types; JSON patch and apply we do not serve), DELETE, and
// 405 for any other method. A resource's controller extends it with its path and service (and any verb more).
import { All, Body, Delete, HttpCode, Param, Patch, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  createOptionsFromQuery,
  responseWarnings,
  type CreateOptions,
  type WarningSink,
} from './create-options.js';
import { duplicateFieldsOf } from './duplicate-fields.js';
import { hasUndecodedBody, JSON_MEDIA_TYPES } from './json-body.js';
import { isMergePatch, MERGE_PATCH_MEDIA_TYPE } from './merge-patch.js';
import { requestContext, type UserInfo } from './request-context.js';
import { StatusError, methodNotAllowed, unsupportedMediaType } from './status.js';
import { requireServedGroupVersion } from './group-version.js';

/** The writes, each given the paths of the body's duplicate keys (reported as fieldValidation says). */
export interface ObjectWrites {
  create(
    body: unknown,
    user: UserInfo,
    options: CreateOptions,
    warn: WarningSink,
    duplicates: readonly string[],
  ): unknown;
  patch(
    name: string,
    patch: unknown,
    user: UserInfo,
    options: CreateOptions,
    warn: WarningSink,
    duplicates: readonly string[],
  ): unknown;
  delete(name: string, user: UserInfo, options: CreateOptions): unknown;
}

export const userOf = (req: Request): UserInfo => requestContext(req).user ?? { name: '', groups: [] };

export abstract class ObjectController {
  protected abstract readonly writes: ObjectWrites;
  protected abstract readonly servedGroup: string;

  @Post()
  @HttpCode(201)
  create(
    @Param('group') group: string,
    @Param('version') version: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    this.requireJsonBody(group, version, req);
    const options = createOptionsFromQuery(req.query);
    return this.writes.create(body, userOf(req), options, responseWarnings(res), duplicateFieldsOf(req));
  }

  @Patch(':name')
  patch(
    @Param('group') group: string,
    @Param('version') version: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    requireServedGroupVersion(this.servedGroup, group, version);
    if (!isMergePatch(req.headers['content-type']))
      throw new StatusError(unsupportedMediaType([MERGE_PATCH_MEDIA_TYPE]));
    const options = createOptionsFromQuery(req.query, 'PatchOptions');
    return this.writes.patch(name, body, userOf(req), options, responseWarnings(res), duplicateFieldsOf(req));
  }

  @Delete(':name')
  delete(
    @Param('group') group: string,
    @Param('version') version: string,
    @Param('name') name: string,
    @Req() req: Request,
  ) {
    requireServedGroupVersion(this.servedGroup, group, version);
    return this.writes.delete(name, userOf(req), createOptionsFromQuery(req.query, 'DeleteOptions'));
  }

  @All()
  collectionMethods(@Param('group') group: string, @Param('version') version: string): never {
    requireServedGroupVersion(this.servedGroup, group, version);
    throw new StatusError(methodNotAllowed());
  }

  @All(':name')
  itemMethods(@Param('group') group: string, @Param('version') version: string): never {
    requireServedGroupVersion(this.servedGroup, group, version);
    throw new StatusError(methodNotAllowed());
  }

  /** The group and version ours, and a body that was decoded as JSON (anything else is a 415). */
  protected requireJsonBody(group: string, version: string, req: Request): void {
    requireServedGroupVersion(this.servedGroup, group, version);
    if (hasUndecodedBody(req)) throw new StatusError(unsupportedMediaType(JSON_MEDIA_TYPES));
  }
}
