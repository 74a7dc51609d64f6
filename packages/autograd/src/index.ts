// @kindling/autograd: importing this module turns on autograd for every Kindling op.
import './formulas/elementwise.js';
import './formulas/reduction.js';
import './formulas/views.js';
import './formulas/linalg.js';
import './formulas/indexing.js';
import './formulas/activation.js';
import './formulas/conv.js';
import './tensor-methods.js';
import { installHooks } from './record.js';

installHooks();

export { backward, grad, type BackwardOptions, type GradOptions } from './engine.js';
export {
  noGrad, enableGrad, inferenceMode, setGradEnabled, isGradEnabled, isInferenceModeEnabled, withGradEnabled, type ModeScope, type ModeGuard,
} from './grad-mode.js';
export { Function, FunctionCtx } from './function.js';
export { gradcheck, gradgradcheck, type GradcheckOptions } from './gradcheck.js';
export { defineDerivative, getDerivative, hasDerivative, type Derivative, type BackwardContext } from './derivative.js';
export { Node, AccumulateGrad, type TensorHook } from './node.js';
