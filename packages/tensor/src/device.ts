/** A device: a backend type and an index, written as PyTorch writes it ('cpu', 'cuda:1'). */
export class Device {
  readonly type: string;
  readonly index: number | null;
  constructor(type: string, index: number | null = null) {
    this.type = type;
    this.index = index;
  }
  toString(): string {
    return this.index === null ? this.type : `${this.type}:${this.index}`;
  }
  equals(other: DeviceLike): boolean {
    const o = toDevice(other);
    return o.type === this.type && (o.index ?? 0) === (this.index ?? 0);
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `device(type='${this.type}'${this.index === null ? '' : `, index=${this.index}`})`;
  }
}

export type DeviceLike = string | Device;

const DEVICE_RE = /^([a-z][a-z0-9_]*)(?::(\d+))?$/;

/** `torch.device('cuda:0')` / `torch.device('cuda', 0)`. */
export function device(spec: DeviceLike, index?: number): Device {
  if (spec instanceof Device) return spec;
  const m = DEVICE_RE.exec(spec);
  if (!m) {
    throw new Error(
      `Expected one of cpu, cuda, webgpu device type at start of device string: ${spec}`,
    );
  }
  if (m[2] !== undefined && index !== undefined) {
    throw new Error(`type (string) must not include an index because index was passed explicitly: ${spec}`);
  }
  const idx = m[2] !== undefined ? Number(m[2]) : index ?? null;
  return new Device(m[1]!, idx);
}

export function toDevice(d: DeviceLike): Device {
  return d instanceof Device ? d : device(d);
}
