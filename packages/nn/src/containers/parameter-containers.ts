import type { Tensor } from '@kindling/tensor';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';

const TENSOR_TYPES: Record<string, string> = {
  float32: 'FloatTensor', float64: 'DoubleTensor', float16: 'HalfTensor', bfloat16: 'BFloat16Tensor', int64: 'LongTensor',
  int32: 'IntTensor', int16: 'ShortTensor', int8: 'CharTensor', uint8: 'ByteTensor', bool: 'BoolTensor',
};
/** `torch.typename(t)`: `torch.FloatTensor`, `torch.cuda.FloatTensor`. */
function typename(t: Tensor): string {
  return `torch.${t.device.type === 'cuda' ? 'cuda.' : ''}${TENSOR_TYPES[t.dtype] ?? t.dtype}`;
}
const gpu = (t: Tensor) => (t.device.type === 'cuda' ? ` (GPU ${t.device.index ?? 0})` : '');

/** Parameters kept in an ordered Map, registered under their keys. */
abstract class ParameterContainer extends Module {
  protected readonly params = new Map<string, Parameter>();
  constructor() {
    super();
    Object.defineProperty(this, 'params', { value: this.params, enumerable: false });
  }
  protected override ownParameters(): [string, Parameter | null][] {
    return [...this.params];
  }
  /** Plain tensors are wrapped in a Parameter, as PyTorch does. */
  protected putParam(name: string, p: Tensor): void {
    this.params.set(name, p instanceof Parameter ? p : new Parameter(p));
    if (!(name in this) || Object.getOwnPropertyDescriptor(this, name)?.get) {
      Object.defineProperty(this, name, { get: () => this.params.get(name), enumerable: false, configurable: true });
    }
  }
  get length(): number {
    return this.params.size;
  }
  protected describe(dtypeName: (p: Tensor) => string): string {
    return [...this.params].map(([k, p]) => `  (${k}): Parameter containing: [${dtypeName(p)} of size ${p.shape.join('x')}${gpu(p)}]`).join('\n');
  }
}

/** `nn.ParameterList([...])`: `list[i]` or `list.get(i)` reads one. */
export class ParameterList extends ParameterContainer {
  readonly [index: number]: Parameter;
  constructor(params: Iterable<Tensor> = []) {
    super();
    for (const p of params) this.append(p);
  }
  append(p: Tensor): this {
    this.putParam(String(this.params.size), p);
    return this;
  }
  extend(ps: Iterable<Tensor>): this {
    for (const p of ps) this.append(p);
    return this;
  }
  get(i: number): Parameter {
    const list = [...this.params.values()];
    const p = list[i < 0 ? i + list.length : i];
    if (!p) throw new RangeError(`index ${i} is out of range`);
    return p;
  }
  at(i: number): Parameter {
    return this.get(i);
  }
  set(i: number, p: Tensor): void {
    const n = this.params.size;
    const j = i < 0 ? i + n : i;
    if (j < 0 || j >= n) throw new RangeError(`index ${i} is out of range`);
    this.putParam(String(j), p);
  }
  [Symbol.iterator](): Iterator<Parameter> {
    return this.params.values();
  }
  /** 1.13 prints the dtype here (`torch.float32`) but the tensor type in ParameterDict. */
  override extraRepr(): string {
    return this.describe((p) => `torch.${p.dtype}`);
  }
}

/** `nn.ParameterDict({...})`: `dict.get(key)` (or `dict.key`) reads one; iterating gives the keys. */
export class ParameterDict extends ParameterContainer {
  constructor(params: Record<string, Tensor> | Map<string, Tensor> = {}) {
    super();
    this.update(params);
  }
  get(key: string): Parameter {
    const p = this.params.get(key);
    if (!p) throw new Error(`KeyError: '${key}'`);
    return p;
  }
  set(key: string, p: Tensor): void {
    this.putParam(key, p);
  }
  has(key: string): boolean {
    return this.params.has(key);
  }
  delete(key: string): void {
    if (!this.params.delete(key)) throw new Error(`KeyError: '${key}'`);
    delete (this as Record<string, unknown>)[key];
  }
  pop(key: string): Parameter {
    const p = this.get(key);
    this.delete(key);
    return p;
  }
  keys(): string[] {
    return [...this.params.keys()];
  }
  values(): Parameter[] {
    return [...this.params.values()];
  }
  entries(): [string, Parameter][] {
    return [...this.params];
  }
  update(params: Record<string, Tensor> | Map<string, Tensor>): void {
    for (const [k, p] of params instanceof Map ? params : Object.entries(params)) this.putParam(k, p);
  }
  [Symbol.iterator](): Iterator<string> {
    return this.params.keys();
  }
  override extraRepr(): string {
    return this.describe(typename);
  }
}
