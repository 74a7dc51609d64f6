// relu's gradient as one op, PyTorch's threshold_backward(grad, result, threshold): the gradient where
// the result is above the threshold, else 0 (a NaN result passes the gradient on, as in PyTorch). One
// pass where a comparison and a select would take two and a mask.
import { registerOp } from '../op.js';
import { formatShape, ShapeError } from '../shape.js';
import { elementwise } from './elementwise.js';
import { scalarTensor } from './scalar.js';

registerOp({
  name: 'threshold_backward',
  infer([grad, result]) {
    if (grad!.shape.length !== result!.shape.length || grad!.shape.some((s, i) => s !== result!.shape[i])) {
      throw new ShapeError(`threshold_backward: grad ${formatShape(grad!.shape)} and result ${formatShape(result!.shape)} differ`);
    }
    return [{ shape: grad!.shape, dtype: grad!.dtype }];
  },
  decompose([grad, result], attrs) {
    const below = elementwise('le', [result!, attrs['threshold'] as number]);
    return [elementwise('where', [below, scalarTensor(0, grad!.dtype, grad!.device), grad!])];
  },
});
