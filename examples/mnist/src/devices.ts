// Getting `--device` ready. The cpu backend comes with `kindling`; a GPU backend is its own package,
// imported (and, for webgpu, opened) only when asked for, so the main job needs neither to run on cpu.
import * as torch from 'kindling';

/** Register and open the backend of `device` ('cpu', 'webgpu', 'cuda', 'cuda:1', …), or explain why it cannot be used. */
export async function prepareDevice(device: string): Promise<void> {
  const type = device.split(':')[0]!;
  if (type === 'cpu') return;
  // A variable specifier: the GPU packages are optional, and resolved only at run time.
  const load = (pkg: string) => import(pkg).catch((e: unknown) => {
    throw new Error(`--device ${device} needs the ${pkg} package: install it next to kindling (${(e as Error).message.split('\n')[0]})`);
  });
  if (type === 'webgpu') {
    const webgpu = (await load('@kindling/backend-webgpu')) as { initWebGPU(): Promise<unknown> };
    await webgpu.initWebGPU();
    return;
  }
  if (type === 'cuda') {
    await load('@kindling/backend-cuda');
    if (!torch.cuda.isAvailable()) throw new Error(`--device ${device}: CUDA is not available (${torch.cuda.unavailableReason?.() ?? 'no CUDA device'})`);
    return;
  }
  throw new Error(`--device ${device}: unknown device type '${type}' (cpu, webgpu or cuda)`);
}

/** A copy of `value` with every tensor on the cpu (checkpoints are written from host memory). */
export async function toHost(value: unknown): Promise<unknown> {
  if (value instanceof torch.Tensor) return value.device.type === 'cpu' ? value : value.toAsync('cpu');
  if (Array.isArray(value)) return Promise.all(value.map(toHost));
  if (value instanceof Map) return new Map(await Promise.all([...value].map(async ([k, v]) => [k, await toHost(v)] as const)));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await toHost(v);
    return out;
  }
  return value;
}
