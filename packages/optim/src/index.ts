// @kindling/optim: torch.optim for Kindling (handbook chapters 8-9). Optimizers follow PyTorch 1.13's
// single-tensor update formulas operation for operation, so float32 trajectories match PyTorch's.
//   import { Adam, lr_scheduler } from '@kindling/optim';
//   const opt = new Adam(params, { lr: 1e-3 });
//   const sched = new lr_scheduler.StepLR(opt, { stepSize: 30, gamma: 0.1 });
export {
  Optimizer, required, type OptimizerOptions, type ParamGroup, type ParamGroupInput, type Params, type StateValue, type ParamState,
  type OptimizerStateDict, type Closure, type Required,
} from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, type AdamOptions } from './adam.js';
export { AdamW, type AdamWOptions } from './adamw.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { Adadelta, type AdadeltaOptions } from './adadelta.js';
export { NAdam, type NAdamOptions } from './nadam.js';
export { RAdam, type RAdamOptions } from './radam.js';
export { LBFGS, type LBFGSOptions } from './lbfgs.js';
export * as lr_scheduler from './lr_scheduler/index.js';
export * from './lr_scheduler/index.js';
export { GradScaler, type GradScalerOptions, type GradScalerStateDict, type Scalable } from './amp/grad-scaler.js';
