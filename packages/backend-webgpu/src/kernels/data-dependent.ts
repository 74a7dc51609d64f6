import { registerWebGPUKernel } from '../backend.js';

/**
 * Ops whose result shape depends on the values (nonzero, unique; so boolean-mask indexing,
 * masked_select): the shape must be known when the op returns, which needs a synchronous read,
 * and webgpu has none (DESIGN §2). They raise that, naming the op and the way out.
 */
for (const name of ['nonzero', 'unique']) {
  registerWebGPUKernel(name, () => {
    throw new Error(
      `Cannot read a webgpu tensor synchronously: the shape of ${name}'s result depends on the tensor's values. Move the tensor with \`await t.toAsync('cpu')\` first.`,
    );
  });
}
