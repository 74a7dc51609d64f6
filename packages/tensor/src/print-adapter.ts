import type { PrintableTensor } from './print.js';
import type { Tensor } from './tensor.js';

/** The values and metadata `formatTensor` needs, read synchronously from the tensor's device. */
export function decodeForPrint(t: Tensor): PrintableTensor {
  return {
    values: t.dataSync() as ArrayLike<number | bigint>,
    shape: t.shape,
    dtype: t.dtype,
    device: t.device.toString(),
    requiresGrad: t.requiresGrad,
    gradFnName: t.gradFn?.name ?? null,
  };
}
