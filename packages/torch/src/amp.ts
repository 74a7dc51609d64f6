// `torch.amp`, `torch.cuda.amp` and `torch.cpu.amp` (handbook 13.4): autocast regions and GradScaler.
import { autocast as autocastAny, type AutocastGuard, type DType } from '@kindling/tensor';
import { GradScaler } from '@kindling/optim';

export { GradScaler };

/** `torch.cuda.amp.autocast(enabled=True, dtype=torch.float16, cache_enabled=True)`. */
export interface DeviceAutocastOptions {
  enabled?: boolean;
  dtype?: DType;
  cacheEnabled?: boolean;
}

function fixedDevice(deviceType: 'cpu' | 'cuda', defaultDtype: DType) {
  function autocast(opts?: DeviceAutocastOptions): AutocastGuard;
  function autocast<R>(fn: () => R): R;
  function autocast<R>(opts: DeviceAutocastOptions | undefined, fn: () => R): R;
  function autocast<R>(a: DeviceAutocastOptions | (() => R) = {}, b?: () => R): R | AutocastGuard {
    const [opts, fn] = typeof a === 'function' ? [{}, a] : [a ?? {}, b];
    const full = { deviceType, dtype: opts.dtype ?? defaultDtype, enabled: opts.enabled ?? true, cacheEnabled: opts.cacheEnabled };
    return fn ? autocastAny(full, fn) : autocastAny(full);
  }
  return autocast;
}

/** `torch.amp`: `torch.amp.autocast({ deviceType, dtype })` is `torch.autocast`. */
export const amp = { autocast: autocastAny, GradScaler };
/** `torch.cuda.amp`: autocast fixed to cuda (float16 by default) and GradScaler. */
export const cudaAmp = { autocast: fixedDevice('cuda', 'float16'), GradScaler };
/** `torch.cpu.amp`: autocast fixed to cpu (bfloat16). */
export const cpuAmp = { autocast: fixedDevice('cpu', 'bfloat16') };
/** `torch.cpu`. */
export const cpu = { amp: cpuAmp };
