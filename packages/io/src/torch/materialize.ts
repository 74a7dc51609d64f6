import { type DeviceLike, Device, DeviceError, StorageRef, Tensor, device as toDevice, getBackend, hasBackend, itemsize, to } from '@kindling/tensor';
import { HOST_LITTLE_ENDIAN, swapBytes } from '../bytes.js';
import { SerializationError } from '../errors.js';
import { registeredClass } from '../module/registry.js';
import { StorageRecord, TensorRecord } from './records.js';

/**
 * Where loaded storages go, as `torch.load`'s map_location: a device for all of them, a table from
 * saved location to device (`{ 'cuda:0': 'cpu' }`), or a function of the saved location returning a
 * device (or undefined to keep it). Without it, each storage goes back where it was saved.
 */
export type MapLocation = DeviceLike | Readonly<Record<string, DeviceLike>> | ((location: string) => DeviceLike | undefined | null);

/** Tensors that were `nn.Parameter`s in the file but came back as plain tensors (no Parameter class registered). */
export const UNREGISTERED_PARAMETERS = new WeakSet<Tensor>();

/**
 * Makes each storage of a file once (so tensors that shared a storage share it again), copying its
 * bytes out of the file into memory the backend owns, then builds tensors over them.
 */
export class StorageTable {
  private made = new Map<string, { ref: StorageRef; device: Device }>();
  private tensors = new Map<TensorRecord, Tensor>();

  constructor(
    /** The bytes of a storage, by key. */
    private readonly bytesOf: (key: string) => Uint8Array,
    private readonly mapLocation: MapLocation | undefined,
    /** The file's byte order ('big' only from zip files written on big-endian machines). */
    private readonly littleEndian = true,
  ) {}

  storage(rec: StorageRecord): { ref: StorageRef; device: Device } {
    const done = this.made.get(rec.key);
    if (done) return done;
    const size = itemsize(rec.dtype);
    const data = this.bytesOf(rec.key);
    const nbytes = (rec.numel + rec.viewOffset) * size;
    if (data.length < nbytes) {
      throw new SerializationError(`storage '${rec.key}' declares ${rec.numel + rec.viewOffset} ${rec.dtype} elements (${nbytes} bytes) but the file holds ${data.length} bytes for it`);
    }
    const cpu = getBackend('cpu');
    const total = Math.floor(data.length / size) * size;
    const storage = cpu.allocate(0, Math.max(total, size));
    if (this.littleEndian !== HOST_LITTLE_ENDIAN && size > 1) {
      const copy = data.slice(0, total);
      swapBytes(copy, size);
      cpu.write(storage, 0, copy);
    } else if (total > 0) {
      cpu.write(storage, 0, data.subarray(0, total));
    }
    let ref = new StorageRef(cpu, storage);
    let dev = new Device('cpu');
    const target = this.target(rec.location);
    if (target.type !== 'cpu') {
      // Move the whole storage at once, so every view of it still shares memory on the device.
      const flat = new Tensor(ref, rec.dtype, [Math.max(total / size, 1)], [1], 0, dev);
      const moved = to(flat, { device: target });
      ref = moved._ref;
      dev = moved.device;
    }
    const out = { ref, device: dev };
    this.made.set(rec.key, out);
    return out;
  }

  tensor(rec: TensorRecord): Tensor {
    const done = this.tensors.get(rec);
    if (done) return done;
    const { ref, device } = this.storage(rec.storage);
    let t = new Tensor(ref, rec.storage.dtype, [...rec.size], [...rec.stride], rec.offset + rec.storage.viewOffset, device);
    if (rec.parameter) {
      const P = registeredClass('Parameter') as (new (data: Tensor, requiresGrad: boolean) => Tensor) | undefined;
      if (P) t = new P(t, rec.requiresGrad);
      else {
        t.requiresGrad = rec.requiresGrad;
        UNREGISTERED_PARAMETERS.add(t);
      }
    } else {
      t.requiresGrad = rec.requiresGrad;
    }
    this.tensors.set(rec, t);
    return t;
  }

  /** A storage on its own in the file (PyTorch would return a TypedStorage): a 1-D tensor over all of it. */
  wholeStorage(rec: StorageRecord): Tensor {
    const { ref, device } = this.storage(rec);
    return new Tensor(ref, rec.dtype, [rec.numel], [1], rec.viewOffset, device);
  }

  private target(location: string): Device {
    const m = this.mapLocation;
    let d: DeviceLike | undefined | null;
    if (m === undefined) d = location;
    else if (typeof m === 'function') d = m(location) ?? location;
    else if (typeof m === 'string' || m instanceof Device) d = m;
    else d = Object.prototype.hasOwnProperty.call(m, location) ? m[location] : location;
    let dev: Device;
    try {
      dev = toDevice(d as DeviceLike);
    } catch {
      throw new SerializationError(`don't know how to restore data location '${String(d)}'`);
    }
    if (!hasBackend(dev.type)) {
      // A device the file names (no mapLocation chose one) is a failure to read the file, reported
      // as a SerializationError like every other; one the caller's mapLocation named is a DeviceError.
      const fromFile = d === location;
      const saved = m === undefined ? ' (where it was saved)' : '';
      const message =
        `Attempting to deserialize object on device '${dev}'${saved} but no '${dev.type}' backend is registered. ` +
        `If you are running on a machine without it, use load(source, { mapLocation: 'cpu' }) to map your storages to the CPU.`;
      throw fromFile ? new SerializationError(message) : new DeviceError(message);
    }
    return dev;
  }
}
