// Starts one real control plane for the whole `npm test` run; test files attach to it through
// the state file named in KCNM_CONTROL_PLANE_STATE (see support/control-plane.ts).
import { join } from 'node:path';
import {
  loadControlPlaneInfo,
  saveControlPlaneInfo,
  startControlPlane,
  stopControlPlane,
} from './control-plane/control-plane.js';

export const STATE_ENV = 'KCNM_CONTROL_PLANE_STATE';

export async function globalSetup(): Promise<void> {
  const started = Date.now();
  const info = await startControlPlane({ log: (l) => console.log(`# ${l}`) });
  const state = join(info.dir, 'state.json');
  await saveControlPlaneInfo(info, state);
  process.env[STATE_ENV] = state;
  console.log(`# control plane started in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

export async function globalTeardown(): Promise<void> {
  const state = process.env[STATE_ENV];
  if (state) await stopControlPlane(await loadControlPlaneInfo(state));
}
