// Counts the TokenReviews and SubjectAccessReviews kube-apiserver received, from its audit log (the control
// plane logs SubjectAccessReviews with their spec, TokenReviews as metadata only).
import { readFile, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface AuditEvent {
  stage: string;
  verb: string;
  requestURI: string;
  user: { username: string };
  objectRef?: { resource?: string; apiGroup?: string };
  requestObject?: {
    spec?: {
      user?: string;
      groups?: string[];
      resourceAttributes?: Record<string, unknown>;
      nonResourceAttributes?: Record<string, unknown>;
    };
  };
  responseStatus?: { code?: number };
}

export interface SubjectAccessReviewSpec {
  user?: string;
  resourceAttributes?: Record<string, unknown>;
  nonResourceAttributes?: Record<string, unknown>;
}

/** Events written after the mark, as a later read sees them. */
export class AuditLog {
  private constructor(
    private readonly path: string,
    private readonly from: number,
  ) {}

  /** Marks the current end of the log: later reads see only events written after it. */
  static async mark(path: string): Promise<AuditLog> {
    return new AuditLog(path, (await stat(path)).size);
  }

  async events(): Promise<AuditEvent[]> {
    const text = (await readFile(this.path)).subarray(this.from).toString('utf8');
    // A line still being written is left for a later read.
    return text
      .slice(0, text.lastIndexOf('\n') + 1)
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as AuditEvent)
      .filter((e) => e.stage === 'ResponseComplete');
  }

  /** TokenReviews created by `requester` (our server's ServiceAccount). */
  async tokenReviews(requester: string): Promise<AuditEvent[]> {
    return (await this.events()).filter(
      (e) => e.objectRef?.resource === 'tokenreviews' && e.verb === 'create' && e.user.username === requester,
    );
  }

  /** SubjectAccessReviews created by `requester` about user `subject`. */
  async subjectAccessReviews(requester: string, subject: string): Promise<SubjectAccessReviewSpec[]> {
    return (await this.events())
      .filter(
        (e) =>
          e.objectRef?.resource === 'subjectaccessreviews' &&
          e.verb === 'create' &&
          e.user.username === requester &&
          e.requestObject?.spec?.user === subject,
      )
      .map((e) => e.requestObject!.spec!);
  }
}

/**
 * The final count of `count()`: waits until it reaches `atLeast` (the audit event of a review is written
 * just after its response), then a little longer, so that a count above what is expected shows up too.
 */
export async function settledCount(
  count: () => Promise<number>,
  atLeast: number,
  timeoutMs = 10_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while ((await count()) < atLeast && Date.now() < deadline) await sleep(100);
  await sleep(1000);
  return count();
}
