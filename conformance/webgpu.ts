// The webgpu device in the conformance matrix: opened when this machine has an adapter, and the
// reasons a case may be refused on it (documented in packages/backend-webgpu/README.md).
import { openTestDevice } from '../packages/backend-webgpu/test/gpu-setup.js';
import type { Case } from './fixtures.js';

/**
 * Open the webgpu device as the backend's own tests do (Mesa's lavapipe from
 * scripts/install-webgpu-driver.sh where there is no GPU): skipped with a message without a driver,
 * a failure when the driver is there (or in CI) but the device will not open.
 */
export function openWebGPU(): Promise<boolean> {
  return openTestDevice('conformance: webgpu');
}

/** Why webgpu may refuse a case, recognised by the error it raised. */
export type Refusal = 'float64' | 'synchronous read' | 'numpy() needs host memory' | `no webgpu kernel: ${string}`;

function involvesFloat64(c: Case): boolean {
  return JSON.stringify(c).includes('float64');
}

/**
 * The documented refusal this error is, or null. A float64 refusal counts only for a case that
 * involves float64; a synchronous read is DESIGN §2's rule for devices whose work is queued.
 */
export function refusalOf(error: unknown, c: Case): Refusal | null {
  if (!(error instanceof Error)) return null;
  const m = error.message;
  if (/is not supported for dtype float64 on device 'webgpu'/.test(m)) return involvesFloat64(c) ? 'float64' : null;
  if (/^Cannot (read|copy) a webgpu tensor .*synchronously/.test(m)) return 'synchronous read';
  // PyTorch's own rule for tensors not in host memory (cuda too).
  if (/^can't convert webgpu device type tensor to a typed array/.test(m)) return 'numpy() needs host memory';
  const missing = /^Could not run '([^']+)' on device 'webgpu'/.exec(m);
  if (missing) return `no webgpu kernel: ${missing[1]}`;
  return null;
}
