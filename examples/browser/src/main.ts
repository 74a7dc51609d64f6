// The page: trains the Classifier on the cpu device and shows the losses; then, if this browser has
// WebGPU and the page was built with @kindling/backend-webgpu, the same run on the webgpu device.
import { loadWebgpu } from 'virtual:kindling-webgpu';
import { runSlice, type SliceCase } from './op-slice.js';
import { train, type TrainResult } from './train.js';

interface PageResult {
  done: boolean;
  cpu?: TrainResult;
  webgpu?: TrainResult | { skipped: string };
  /** The op slice on webgpu, each case against cpu (when webgpu ran). */
  slice?: SliceCase[];
  error?: string;
}

declare global {
  interface Window {
    kindlingResult?: PageResult;
  }
}

const status = document.getElementById('status')!;
const out = document.getElementById('losses')!;

function show(r: TrainResult): void {
  out.textContent += `${r.device}: ${r.losses.map((l) => l.toFixed(4)).join(' → ')}  (train accuracy ${(r.accuracy * 100).toFixed(1)}%)\n`;
}

async function main(): Promise<PageResult> {
  status.textContent = 'training on cpu…';
  const cpu = await train({ device: 'cpu' });
  show(cpu);
  let webgpu: PageResult['webgpu'];
  let slice: SliceCase[] | undefined;
  const gpu = (navigator as Navigator & { gpu?: unknown }).gpu;
  if (!gpu) webgpu = { skipped: 'navigator.gpu is not available in this browser' };
  else if (!loadWebgpu) webgpu = { skipped: 'the page was built without @kindling/backend-webgpu' };
  else {
    try {
      const webgpuModule = (await loadWebgpu()) as { initWebGPU?: () => Promise<unknown> };
      await webgpuModule.initWebGPU?.(); // asks navigator.gpu for an adapter and a device
      status.textContent = 'training on webgpu…';
      webgpu = await train({ device: 'webgpu' });
      show(webgpu);
      status.textContent = 'checking ops on webgpu against cpu…';
      slice = await runSlice('webgpu');
      out.textContent += slice.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`).join('\n') + '\n';
    } catch (err) {
      webgpu = { skipped: `webgpu failed: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
  return { done: true, cpu, webgpu, ...(slice ? { slice } : {}) };
}

main().then(
  (result) => {
    status.textContent = 'done';
    window.kindlingResult = result;
  },
  (err: unknown) => {
    const message = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
    status.textContent = `error: ${message}`;
    window.kindlingResult = { done: true, error: message };
  },
);
