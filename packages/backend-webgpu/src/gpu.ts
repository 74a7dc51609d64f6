/**
 * Where the WebGPU entry point comes from: the browser's `navigator.gpu`, or in Node the `webgpu`
 * package (Dawn). That package is loaded only in Node, through a specifier bundlers leave alone, so
 * this package still bundles for the browser.
 */
export async function defaultGPU(): Promise<GPU> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return nav.gpu;
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  const isNode = typeof proc?.versions?.node === 'string';
  if (!isNode) {
    throw new Error('webgpu: this environment has no navigator.gpu; pass a GPU object to initWebGPU({ gpu })');
  }
  const specifier = 'webgpu';
  let mod: { create(flags: string[]): GPU; globals: Record<string, unknown> };
  try {
    mod = (await import(/* @vite-ignore */ specifier)) as typeof mod;
  } catch (e) {
    throw new Error(`webgpu: Node needs the 'webgpu' npm package (Dawn) to reach a GPU; install it (npm install webgpu). ${String(e)}`);
  }
  // Dawn's classes (GPUBufferUsage, GPUMapMode…) are looked up as globals, as in a browser.
  for (const [k, v] of Object.entries(mod.globals)) {
    if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  }
  return mod.create([]);
}
