import { Tensor, formatTensorRepr } from './tensor-bridge.js';

/** `nn.Parameter(data, requiresGrad = true)`: a tensor that a Module registers as a parameter. It shares data's storage. */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    super(data._ref, data.dtype, data.shape, data._strides, data._offset, data.device);
    this.requiresGrad = requiresGrad;
  }
  override toString(): string {
    return `Parameter containing:\n${formatTensorRepr(this)}`;
  }
}
