/** Why a cloud call was cut short: its time budget ran out, or its caller cancelled it. */
export class CallAborted extends Error {
  override readonly name = 'CallAborted';

  constructor(
    readonly why: 'timeout' | 'cancelled',
    readonly afterMs: number,
  ) {
    super(
      why === 'timeout' ? `no answer within ${afterMs} ms` : `cancelled by the caller after ${afterMs} ms`,
    );
  }
}

export interface Deadline {
  /** Aborts, with a CallAborted reason, when the budget runs out or the caller cancels. */
  readonly signal: AbortSignal;
  /** Epoch milliseconds at which the budget runs out. */
  readonly at: number;
}

/**
 * Runs `call` within `timeoutMs`, ending early when `callerSignal` aborts. It settles by the deadline even when the
 * call ignores its signal (an SDK's credential fetch may), so a hung endpoint never holds the caller; it then rejects
 * with the CallAborted reason, whatever the call itself throws later. A caller whose signal aborts with a CallAborted
 * reason (a budget that began before this call, see pacing/) has that reason reported as it is.
 */
export async function withDeadline<T>(
  timeoutMs: number,
  callerSignal: AbortSignal | undefined,
  call: (deadline: Deadline) => Promise<T>,
): Promise<T> {
  const started = Date.now();
  const callerAborted = () =>
    callerSignal?.reason instanceof CallAborted
      ? callerSignal.reason
      : new CallAborted('cancelled', Date.now() - started);
  if (callerSignal?.aborted) throw callerAborted();
  const controller = new AbortController();
  // A timeout names the configured budget: timers may fire a millisecond early by the wall clock.
  const timer = setTimeout(() => controller.abort(new CallAborted('timeout', timeoutMs)), timeoutMs);
  const onCallerAbort = () => controller.abort(callerAborted());
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  const aborted = new Promise<never>((_, reject) =>
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }),
  );
  try {
    return await Promise.race([call({ signal: controller.signal, at: started + timeoutMs }), aborted]);
  } catch (error) {
    // An SDK rejects an aborted request with its own error; the abort reason says what really happened.
    throw controller.signal.aborted ? controller.signal.reason : error;
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener('abort', onCallerAbort);
  }
}
