// Opens the webgpu device for the tests. In Node, Dawn needs a Vulkan driver; on a machine without a
// GPU that is Mesa's lavapipe, installed into the repository by scripts/install-webgpu-driver.sh.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initWebGPU, webgpuReady } from '@kindling/backend-webgpu';

const ICD = fileURLToPath(new URL('../../../.cache/webgpu-driver/lvp_icd.json', import.meta.url));

/**
 * Whether the webgpu device is usable. Without the driver (not installed: no root or apt) the tests
 * skip, and say so; with it installed, or in CI (where scripts/test.sh installs it), a device that
 * will not open is a failure, not a skip. The conformance suite opens the device through this too.
 */
export async function openTestDevice(who = 'webgpu tests'): Promise<boolean> {
  if (webgpuReady()) return true;
  const haveDriver = existsSync(ICD);
  if (haveDriver && !process.env['VK_DRIVER_FILES']) process.env['VK_DRIVER_FILES'] = ICD;
  try {
    await initWebGPU();
    return true;
  } catch (e) {
    const inCI = !!process.env['CI'] && process.env['CI'] !== 'false';
    if (haveDriver || inCI) throw e;
    console.warn(`${who} skipped: no WebGPU adapter (${(e as Error).message}); run scripts/install-webgpu-driver.sh (root, Debian) to install one.`);
    return false;
  }
}
