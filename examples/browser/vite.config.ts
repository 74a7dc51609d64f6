import { createRequire } from 'node:module';
import { defineConfig, type Plugin } from 'vite';

// `virtual:kindling-webgpu` is @kindling/backend-webgpu when it can be resolved from here, else null:
// the page tries the webgpu device only when the package is there and the browser has navigator.gpu.
function optionalWebgpu(): Plugin {
  const id = 'virtual:kindling-webgpu';
  let present = false;
  try {
    createRequire(import.meta.url).resolve('@kindling/backend-webgpu');
    present = true;
  } catch {
    present = false;
  }
  return {
    name: 'kindling-optional-webgpu',
    resolveId: (source) => (source === id ? `\0${id}` : null),
    load: (resolved) => {
      if (resolved !== `\0${id}`) return null;
      return present
        ? `export const loadWebgpu = () => import('@kindling/backend-webgpu');`
        : `export const loadWebgpu = null;`;
    },
  };
}

export default defineConfig({
  // Relative asset URLs: the built page works from any path or static server.
  base: './',
  plugins: [optionalWebgpu()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4096 },
});
