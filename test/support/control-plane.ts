// Gives a test file the control plane of the run (started by the global setup), or starts one of
// its own when the file runs alone; an own control plane is stopped when the file's tests end.
import { after } from 'node:test';
import {
  loadControlPlaneInfo,
  startControlPlane,
  stopControlPlane,
  type ControlPlaneInfo,
} from '../control-plane/control-plane.js';

let shared: Promise<ControlPlaneInfo> | undefined;

/**
 * The run's control plane, or one of the file's own. Only an own one registers an after() hook (from wherever
 * this is first called: the file's top level or a before() hook), so importing this module registers nothing.
 */
export function useControlPlane(): Promise<ControlPlaneInfo> {
  if (!shared) {
    const state = process.env.KCNM_CONTROL_PLANE_STATE;
    shared = state ? loadControlPlaneInfo(state) : startOwn();
  }
  return shared;
}

async function startOwn(): Promise<ControlPlaneInfo> {
  const own = await startControlPlane();
  after(() => stopControlPlane(own));
  return own;
}
