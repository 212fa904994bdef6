// Errors as kubectl prints them (k8s.io/kubectl/pkg/cmd/util checkErr and StandardErrorMessage): a metav1.Status
// from the server becomes "Error from server (Reason): message", except an Invalid one, which kubectl lists by its
// causes; a body that is not a Status gets client-go's generic message for its HTTP code (apimachinery
// errors.NewGenericServerResponse).
import { goQuote } from '../apiserver/go-format.js';
import type { Status } from '../apiserver/status.js';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(readonly status: Status) {
    super(status.message ?? '');
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): string {
    return this.status.reason ?? '';
  }

  /** What kubectl writes to stderr for this error. */
  get display(): string {
    if (this.reason === 'Invalid') return invalidDisplay(this.status);
    if (this.reason === 'Unauthorized') return `error: You must be logged in to the server (${this.message})`;
    return this.reason
      ? `Error from server (${this.reason}): ${this.message}`
      : `Error from server: ${this.message}`;
  }
}

/** "The Kind "name" is invalid: field: message", one cause a line when there are several. */
function invalidDisplay({ details, message }: Status): string {
  let head = 'The request is invalid';
  if (details === undefined) return message ? `${head}: ${message}` : head;
  const causes = [...new Set((details.causes ?? []).map((c) => `${c.field ?? ''}: ${c.message ?? ''}`))];
  if (details.kind || details.name)
    head = `The ${details.kind ?? ''} ${goQuote(details.name ?? '')} is invalid`;
  else if (message && causes.length === 0) head += `: ${message}`;
  if (causes.length === 0) return head;
  return causes.length === 1
    ? `${head}: ${causes[0]}`
    : `${head}: \n${causes.map((c) => `* ${c}`).join('\n')}`;
}

/** Could not reach the server, or could not authenticate to it before sending (exec plugin failed, bad TLS). */
export class ConnectError extends Error {
  override readonly name = 'ConnectError';
  get display(): string {
    return `Unable to connect to the server: ${this.message}`;
  }
}

const GENERIC: Record<number, [Status['reason'], string]> = {
  400: ['BadRequest', 'the server rejected our request for an unknown reason'],
  401: ['Unauthorized', 'Unauthorized'],
  403: ['Forbidden', 'the server does not allow access to the requested resource'],
  404: ['NotFound', 'the server could not find the requested resource'],
  405: ['MethodNotAllowed', 'the server does not allow this method on the requested resource'],
  409: ['Conflict', 'the server reported a conflict'],
  415: [
    'UnsupportedMediaType',
    'the server was unable to respond with a content type that the client supports',
  ],
  422: ['Invalid', 'the server rejected our request due to an error in our request'],
  429: ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'],
  503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
  504: [
    'Timeout',
    'the server was unable to return a response in the time allotted, but may still be processing the request',
  ],
};

function isStatus(body: unknown): body is Status {
  return typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'Status';
}

/** The error for a non-2xx answer: its Status if it sent one, else client-go's generic one. */
export function apiError(code: number, body: unknown, text: string): ApiError {
  if (isStatus(body)) return new ApiError({ ...body, code: body.code || code });
  const generic = GENERIC[code];
  const [reason, message] =
    generic ??
    (code >= 500
      ? [
          'InternalError',
          `an error on the server (${JSON.stringify(text.trim() || 'unknown')}) has prevented the request from succeeding`,
        ]
      : ['', `the server responded with the status code ${code} but did not return more information`]);
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  });
}
