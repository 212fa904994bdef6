// What a cloud's folder exports from its index.ts, and all the rest of the server knows of it: registry/clouds.ts
// lists the plugins, one line each. Nothing here names a cloud.
import type { CloudCallObserver } from './call.js';
import type { CloudDefinition } from './definition.js';
import type { CloudLimits } from './limits.js';
import type { CloudProvider } from './provider.js';

/** Whether the server serves a cloud's nodes, and why; the first part of every cloud's settings. */
export interface CloudSwitch {
  enabled: boolean;
  /** Why, e.g. "AWS_CLOUD=true", "AWS_WEB_IDENTITY_TOKEN_FILE is set", "no AWS credentials or configuration found". */
  reason: string;
  /** What an operator does to enable the cloud. */
  howToEnable: string;
}

/** The settings every cloud's calls share (CLOUD_TIMEOUT, CLOUD_MAX_ATTEMPTS, CLOUD_BATCH_WINDOW). */
export interface CommonCloudOptions {
  /** Time budget of one cloud API call, retries and the wait for its turn included. */
  timeoutMs: number;
  /** Requests per call when a failure is safe to repeat (1 never repeats). */
  maxAttempts: number;
  /** How long a reboot waits for others in the same cloud, region and mode to share its call (0: never). */
  batchWindowMs: number;
}

/**
 * The environment as a cloud reads its settings from it. A bad value is reported through `problem` rather than
 * thrown, so that the server refuses to start with every bad value named at once.
 */
export interface CloudEnv {
  /** The variables as they are. */
  readonly vars: NodeJS.ProcessEnv;
  /** "true" or "false" in any case; undefined when unset or blank. */
  flag(name: string): boolean | undefined;
  /** A Go duration in milliseconds, positive (or 0 when `zero` allows it); `fallbackMs` when unset or bad. */
  duration(name: string, fallbackMs: number, zero?: boolean): number;
  fileExists(path: string): boolean;
  problem(message: string): void;
}

export interface CloudPlugin<N extends string = string, S extends CloudSwitch = CloudSwitch> {
  /** Its name, providerID schemes and parser, and how it finds a region. */
  readonly definition: CloudDefinition<N>;
  /** Its own settings from its own variables, its switch among them. */
  settings(env: CloudEnv): S;
  /**
   * Its provider, made only when the cloud is enabled. The provider and its SDK are loaded here with import(), never
   * by a static import: an SDK is thousands of modules and tens of MiB that a server without the cloud never needs,
   * and the bundle puts each dynamically imported provider in a chunk of its own.
   */
  createProvider(
    settings: S,
    common: CommonCloudOptions,
    observer?: CloudCallObserver,
  ): Promise<CloudProvider>;
  /** What the cloud allows its mutating calls; without limits they are neither paced nor batched. */
  readonly limits?: CloudLimits;
}
