// With the addon loaded, tensors' host memory comes from its pool (native/src/host_memory.cc): a buffer
// the garbage collector frees goes back to the pool at once, so the next tensor of that size reuses
// it instead of touching fresh pages.
import { hostAllocator } from '../backend.js';
import { nativeAddon } from './addon.js';

const addon = nativeAddon;
if (addon) {
  hostAllocator.useSource({
    allocate: (bytes) => addon.hostBuffer(bytes),
    trim: () => addon.trimHostPool(),
    cachedBytes: () => addon.hostPoolStats().cached,
  });
}
