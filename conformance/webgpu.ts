// The webgpu device in the conformance matrix: opened when this machine has an adapter, and the
// reasons a case may be refused on it (documented in packages/backend-webgpu/README.md).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initWebGPU, webgpuReady } from '@kindling/backend-webgpu';
import type { Case } from './fixtures.js';

const ICD = fileURLToPath(new URL('../.cache/webgpu-driver/lvp_icd.json', import.meta.url));

/**
 * Open the webgpu device. In Node, Dawn needs a Vulkan driver: on machines without a GPU, Mesa's
 * lavapipe, installed by scripts/install-webgpu-driver.sh. Without that driver the webgpu column is
 * skipped (with a message); with it installed, or in CI (where scripts/test.sh installs it), a device
 * that will not open fails the suite.
 */
export async function openWebGPU(): Promise<boolean> {
  if (webgpuReady()) return true;
  const haveDriver = existsSync(ICD);
  if (haveDriver && !process.env['VK_DRIVER_FILES']) process.env['VK_DRIVER_FILES'] = ICD;
  try {
    await initWebGPU();
    return true;
  } catch (e) {
    const inCI = !!process.env['CI'] && process.env['CI'] !== 'false';
    if (haveDriver || inCI) throw e;
    console.warn(`conformance: webgpu skipped: no WebGPU adapter (${(e as Error).message}); scripts/install-webgpu-driver.sh installs one`);
    return false;
  }
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
