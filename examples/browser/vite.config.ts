import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/** Is `name` installed where this page's imports would find it (node_modules here or in a parent)? */
function installed(name: string): boolean {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', name, 'package.json'))) return true;
    if (dirname(dir) === dir) return false;
  }
}

// `virtual:kindling-webgpu` is @kindling/backend-webgpu when it can be resolved from here, else null:
// the page tries the webgpu device only when the package is there and the browser has navigator.gpu.
function optionalWebgpu(): Plugin {
  const id = 'virtual:kindling-webgpu';
  const present = installed('@kindling/backend-webgpu');
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
