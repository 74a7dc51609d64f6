import { getBackend } from '../backend.js';
import { type DeviceLike, toDevice, Device } from '../device.js';
import { type DType, dtypeFromLegacyTypeName, isDType, itemsize, legacyTypeName } from '../dtype.js';
import type { Scalar } from '../elements.js';
import { dispatch1, registerOp } from '../op.js';
import { broadcastShapes } from '../shape.js';
import { checkedScalar } from './scalar.js';
import { Tensor } from '../tensor.js';

registerOp({
  name: 'copy',
  // copy_ casts to any dtype, unlike other ops writing in place.
  anyOutputDtype: true,
  infer(inputs) {
    return [{ shape: broadcastShapes(inputs[0]!.shape), dtype: inputs[0]!.dtype }];
  },
});
registerOp({
  name: 'fill',
  nondifferentiable: true,
  infer(inputs) {
    return [{ shape: inputs[0]!.shape, dtype: inputs[0]!.dtype }];
  },
});

/** A new contiguous tensor with `t`'s values, as `dtype`. */
export function cast(t: Tensor, dtype: DType): Tensor {
  const out = Tensor._empty(t.shape, dtype, t.device);
  copyInto(out, t);
  return out;
}

/** `dst.copy_(src)`: src broadcast to dst's shape and cast to its dtype, from any device. */
export function copyInto(dst: Tensor, src: Tensor): Tensor {
  const local = dst.device.equals(src.device) ? src : toDeviceCopy(src, dst.device);
  dispatch1('copy', [local], {}, dst);
  return dst;
}

/** A contiguous copy of `t` on another device. */
function toDeviceCopy(t: Tensor, device: Device): Tensor {
  const src = t.contiguous();
  const fromBackend = getBackend(src.device.type);
  const out = Tensor._empty(src.shape, src.dtype, device);
  const nbytes = src.numel() * itemsize(src.dtype);
  if (nbytes === 0) return out;
  if (!fromBackend.readSync) {
    throw new Error(`Cannot copy a ${src.device.type} tensor to ${device} synchronously; use \`await t.toAsync('${device}')\``);
  }
  const bytes = fromBackend.readSync(src._ref.storage, src._offset * itemsize(src.dtype), nbytes);
  getBackend(device.type).write(out._ref.storage, 0, bytes);
  return out;
}

export interface ToOptions {
  dtype?: DType;
  device?: DeviceLike;
  copy?: boolean;
}

function resolveTarget(t: Tensor, a?: DType | DeviceLike | Tensor | ToOptions, b?: DType | ToOptions): { device: Device; dtype: DType; copy: boolean } {
  let dtype: DType | undefined;
  let device: Device | undefined;
  let copy = false;
  const take = (x: unknown) => {
    if (x === undefined) return;
    if (x instanceof Tensor) {
      dtype = x.dtype;
      device = x.device;
    } else if (isDType(x)) dtype = x;
    else if (typeof x === 'string' || x instanceof Device) device = toDevice(x);
    else if (typeof x === 'object' && x !== null) {
      const o = x as ToOptions;
      if (o.dtype) dtype = o.dtype;
      if (o.device) device = toDevice(o.device);
      if (o.copy) copy = true;
    }
  };
  take(a);
  take(b);
  return { device: device ?? t.device, dtype: dtype ?? t.dtype, copy };
}

/** `x.to(dtype)`, `x.to(device)`, `x.to(other)`, `x.to(device, dtype)`, `x.to({ device, dtype, copy })`. */
export function to(t: Tensor, a?: DType | DeviceLike | Tensor | ToOptions, b?: DType | ToOptions): Tensor {
  const target = resolveTarget(t, a, b);
  const sameDevice = target.device.equals(t.device);
  if (sameDevice && target.dtype === t.dtype && !target.copy) return t;
  const moved = sameDevice ? t : toDeviceCopy(t, target.device);
  return moved.dtype !== target.dtype || moved === t ? cast(moved, target.dtype) : moved;
}

/** `await t.toAsync(device)`: like `to`, for devices whose memory can only be read asynchronously (webgpu). */
export async function toAsync(t: Tensor, a?: DType | DeviceLike | Tensor | ToOptions, b?: DType | ToOptions): Promise<Tensor> {
  const target = resolveTarget(t, a, b);
  const fromBackend = getBackend(t.device.type);
  if (target.device.equals(t.device) || fromBackend.readSync) return to(t, a, b);
  const src = t.contiguous();
  const size = itemsize(src.dtype);
  const bytes = await fromBackend.read(src._ref.storage, src._offset * size, src.numel() * size);
  const out = Tensor._empty(src.shape, src.dtype, target.device);
  if (bytes.length) getBackend(target.device.type).write(out._ref.storage, 0, bytes);
  return out.dtype === target.dtype ? out : cast(out, target.dtype);
}

export function typeConvert(t: Tensor, type?: DType | string): Tensor | string {
  if (type === undefined) return legacyTypeName(t.dtype);
  const d = isDType(type) ? type : dtypeFromLegacyTypeName(type);
  if (!d) throw new TypeError(`invalid type: '${type}'`);
  return to(t, d);
}

export function fill_(t: Tensor, value: Scalar | Tensor): Tensor {
  if (value instanceof Tensor) {
    if (value.ndim !== 0) throw new Error(`fill_ only supports 0-dimension value tensor but got tensor with ${value.ndim} dimensions.`);
    return copyInto(t, value);
  }
  // A value the dtype cannot hold is an error, as in PyTorch (`fill_` converts with a range check).
  dispatch1('fill', [t], { value: checkedScalar(value, t.dtype) }, t);
  return t;
}
