import type { FaultKind } from './faults.js';

/** What the emulator saw of one request, and how it answered. */
export interface CallRecord {
  /** 1-based arrival order. */
  seq: number;
  at: Date;
  action: string;
  region: string | undefined;
  /** Request parameters as the cloud would read them (EC2: un-flattened form; Tencent: the JSON body). */
  params: Record<string, unknown>;
  accessKeyId: string | undefined;
  signatureValid: boolean;
  /** The credential scope of the signature, e.g. "20260101/us-east-1/ec2/aws4_request". */
  signingScope?: string;
  /** The SDK's own attempt counter, when it sends one (AWS amz-sdk-request). */
  attempt?: number;
  /** The injected fault this call consumed, if any. */
  fault?: FaultKind;
  /** HTTP status sent; undefined while the call is pending or hung. */
  status?: number;
  /** The cloud error code answered, if the call failed. */
  errorCode?: string;
}

export type NewCall = Omit<CallRecord, 'seq' | 'at'>;

export class CallLog {
  #calls: CallRecord[] = [];

  add(call: NewCall): CallRecord {
    const record: CallRecord = { seq: this.#calls.length + 1, at: new Date(), ...call };
    this.#calls.push(record);
    return record;
  }

  get all(): readonly CallRecord[] {
    return this.#calls;
  }

  to(action: string): CallRecord[] {
    return this.#calls.filter((c) => c.action === action);
  }

  clear(): void {
    this.#calls = [];
  }
}

/** The actions that change an instance, by the same names in both clouds. */
export const INSTANCE_ACTIONS: ReadonlySet<string> = new Set([
  'RebootInstances',
  'StopInstances',
  'StartInstances',
]);

/** An action the emulator really carried out on an instance (not a response: a call may act and still fail). */
export interface ExecutedAction {
  /** The call that carried it out (its CallRecord's seq). */
  seq: number;
  action: string;
  instanceId: string;
}
