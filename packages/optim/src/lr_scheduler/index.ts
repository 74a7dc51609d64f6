// torch.optim.lr_scheduler (handbook chapter 9): `import { lr_scheduler } from '@kindling/optim'`.
export {
  LRScheduler, LRScheduler as _LRScheduler, EPOCH_DEPRECATION_WARNING, type AnyOptimizer, type SchedulerOptions, type SchedulerStateDict,
} from './scheduler.js';
export { StepLR, MultiStepLR, ExponentialLR, type StepLROptions, type MultiStepLROptions, type ExponentialLROptions } from './decay.js';
export { ConstantLR, LinearLR, PolynomialLR, type ConstantLROptions, type LinearLROptions, type PolynomialLROptions } from './warmup.js';
export { LambdaLR, MultiplicativeLR, type LrLambda, type LambdaLROptions } from './lambda.js';
export { CosineAnnealingLR, CosineAnnealingWarmRestarts, type CosineAnnealingLROptions, type CosineAnnealingWarmRestartsOptions } from './cosine.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './plateau.js';
export { CyclicLR, type CyclicLROptions, type CyclicMode } from './cyclic.js';
export { OneCycleLR, type OneCycleLROptions, type OneCyclePhase } from './one-cycle.js';
export { SequentialLR, ChainedScheduler, type SequentialLROptions } from './composite.js';
