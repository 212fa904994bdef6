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
let own: ControlPlaneInfo | undefined;

// Registered when a test file imports this module, so it runs after all of that file's tests.
after(async () => {
  if (own) await stopControlPlane(own);
});

export function useControlPlane(): Promise<ControlPlaneInfo> {
  if (!shared) {
    const state = process.env.KCNM_CONTROL_PLANE_STATE;
    shared = state ? loadControlPlaneInfo(state) : startControlPlane().then((info) => (own = info));
  }
  return shared;
}
