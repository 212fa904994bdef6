// The errors kube-apiserver answers, as client-node throws them: an ApiException with the HTTP code and the
// metav1.Status body, so code under test tells them apart exactly as it does against a real cluster.
import { ApiException } from '@kubernetes/client-node';
import { failureStatus, type StatusReason } from '../../../src/apiserver/status.js';

export interface StatusCause {
  reason: string;
  message: string;
}

export function apiError(
  code: number,
  reason: StatusReason,
  message: string,
  causes?: StatusCause[],
): ApiException<string> {
  const status = failureStatus(code, reason, message, causes ? { causes } : {});
  return new ApiException(code, message, JSON.stringify(status), {});
}

export const notFound = (kind: string, name: string) =>
  apiError(404, 'NotFound', `${kind} "${name}" not found`);

export const alreadyExists = (kind: string, name: string) =>
  apiError(409, 'AlreadyExists', `${kind} "${name}" already exists`);

/** The registry's optimistic-lock error, for a write whose resourceVersion is not the object's current one. */
export const conflict = (kind: string, name: string) =>
  apiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${kind} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
  );

/** A deep copy, as every object read from or written to the API server is one. */
export const copy = <T>(value: T): T => structuredClone(value);

/** One resourceVersion sequence for the whole cluster, as etcd's revision is. */
export class Revisions {
  private last = 100;
  next(): string {
    return String(++this.last);
  }
}
