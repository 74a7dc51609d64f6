// Normalization modules (handbook 5.4), with PyTorch's parameter and buffer names so state dicts interchange.
import { type DType, ones, type Tensor, tensor, zeros, getDefaultDtype } from '@kindling/tensor';
import { noGrad } from '@kindling/autograd';
import { Module, type StateDict } from '../module.js';
import { Parameter } from '../parameter.js';
import { pyFloat } from '../pyrepr.js';
import { type PyArgs, need, pyArgs } from '../args.js';
import * as F from '../functional/normalization.js';

export interface NormOptions {
  numFeatures?: number;
  eps?: number;
  /** null: a cumulative moving average (factor 1/num_batches_tracked). */
  momentum?: number | null;
  affine?: boolean;
  trackRunningStats?: boolean;
  dtype?: DType;
  device?: string;
}
type NormArgs = PyArgs<[numFeatures: number, eps: number, momentum: number | null, affine: boolean, trackRunningStats: boolean], NormOptions>;

const tf = (b: boolean) => (b ? 'True' : 'False');

/** PyTorch's `_NormBase`: affine weight/bias and the running_mean/running_var/num_batches_tracked buffers. */
abstract class NormBase extends Module {
  weight: Parameter | null = null;
  bias: Parameter | null = null;
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  declare runningMean: Tensor | null;
  declare runningVar: Tensor | null;
  declare numBatchesTracked: Tensor | null;
  constructor(name: string, args: NormArgs, defaults: { affine: boolean; track: boolean }) {
    super();
    const o = pyArgs(name, args, ['numFeatures', 'eps', 'momentum', 'affine', 'trackRunningStats'], {
      numFeatures: undefined as number | undefined, eps: 1e-5, momentum: 0.1 as number | null, affine: defaults.affine,
      trackRunningStats: defaults.track, dtype: getDefaultDtype(), device: undefined as string | undefined,
    });
    this.numFeatures = need(name, 'numFeatures', o.numFeatures);
    ({ eps: this.eps, momentum: this.momentum, affine: this.affine, trackRunningStats: this.trackRunningStats } = o);
    const f = { dtype: o.dtype, device: o.device };
    if (this.affine) {
      this.weight = new Parameter(ones([this.numFeatures], f));
      this.bias = new Parameter(zeros([this.numFeatures], f));
    }
    const track = this.trackRunningStats;
    this.registerBuffer('running_mean', track ? zeros([this.numFeatures], f) : null);
    this.registerBuffer('running_var', track ? ones([this.numFeatures], f) : null);
    this.registerBuffer('num_batches_tracked', track ? tensor(0, { dtype: 'int64', device: o.device }) : null);
    // camelCase aliases of the buffers (the snake_case names are PyTorch's state-dict keys).
    for (const [js, py] of [['runningMean', 'running_mean'], ['runningVar', 'running_var'], ['numBatchesTracked', 'num_batches_tracked']] as const) {
      Object.defineProperty(this, js, {
        get: () => (this as unknown as Record<string, Tensor | null>)[py],
        set: (v: Tensor | null) => ((this as unknown as Record<string, Tensor | null>)[py] = v),
        enumerable: false,
      });
    }
  }
  resetRunningStats(): void {
    if (!this.trackRunningStats) return;
    noGrad(() => {
      this.runningMean!.zero_();
      this.runningVar!.fill_(1);
      this.numBatchesTracked!.zero_();
    });
  }
  resetParameters(): void {
    this.resetRunningStats();
    if (this.affine) {
      noGrad(() => {
        this.weight!.fill_(1);
        this.bias!.zero_();
      });
    }
  }
  /** A checkpoint without num_batches_tracked (older PyTorch, or a plain dict) loads it as 0, as PyTorch. */
  protected override preLoadStateDict(stateDict: StateDict, prefix: string): void {
    const key = `${prefix}num_batches_tracked`;
    if (this.trackRunningStats && !(key in stateDict)) stateDict[key] = tensor(0, { dtype: 'int64' });
  }
  protected abstract checkInput(x: Tensor): void;
  override extraRepr(): string {
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${this.momentum === null ? 'None' : pyFloat(this.momentum)}, affine=${tf(this.affine)}, track_running_stats=${tf(this.trackRunningStats)}`;
  }
}

/** PyTorch's `_BatchNorm.forward`: counts batches, picks the averaging factor, uses batch stats in training. */
abstract class BatchNormBase extends NormBase {
  constructor(...args: NormArgs) {
    super(new.target.name, args, { affine: true, track: true });
  }
  override forward(x: Tensor): Tensor {
    this.checkInput(x);
    const useBatch = this.training || (this.runningMean === null && this.runningVar === null);
    const passStats = !this.training || this.trackRunningStats;
    // Checked before the batch is counted, so that a bad input changes nothing.
    F.checkBatchNorm(x, passStats ? this.runningMean : null, passStats ? this.runningVar : null, this.weight, this.bias, useBatch);
    let factor = this.momentum ?? 0;
    if (this.training && this.trackRunningStats && this.numBatchesTracked) {
      noGrad(() => this.numBatchesTracked!.add_(1));
      if (this.momentum === null) factor = 1 / Number(this.numBatchesTracked.item());
    }
    return F.batchNorm(x, passStats ? this.runningMean : null, passStats ? this.runningVar : null, {
      weight: this.weight, bias: this.bias, training: useBatch, momentum: factor, eps: this.eps,
    });
  }
}
export class BatchNorm1d extends BatchNormBase {
  protected checkInput(x: Tensor): void {
    if (x.ndim !== 2 && x.ndim !== 3) throw new Error(`expected 2D or 3D input (got ${x.ndim}D input)`);
  }
}
export class BatchNorm2d extends BatchNormBase {
  protected checkInput(x: Tensor): void {
    if (x.ndim !== 4) throw new Error(`expected 4D input (got ${x.ndim}D input)`);
  }
}
export class BatchNorm3d extends BatchNormBase {
  protected checkInput(x: Tensor): void {
    if (x.ndim !== 5) throw new Error(`expected 5D input (got ${x.ndim}D input)`);
  }
}

/**
 * PyTorch's `_InstanceNorm`: per-sample statistics unless tracking running stats in eval mode. Unlike
 * BatchNorm it neither counts batches nor supports momentum=None.
 */
abstract class InstanceNormBase extends NormBase {
  protected abstract readonly spatialDims: number;
  constructor(...args: NormArgs) {
    super(new.target.name, args, { affine: false, track: false });
  }
  override forward(x: Tensor): Tensor {
    this.checkInput(x);
    const d = this.spatialDims;
    const channels = x.shape[x.ndim - d - 1];
    if (channels !== this.numFeatures && this.affine) {
      throw new Error(`expected input's size at dim=${x.ndim - d - 1} to match num_features (${this.numFeatures}), but got: ${channels}.`);
    }
    const batched = x.ndim === d + 2;
    const input = batched ? x : x.unsqueeze(0);
    const y = F.instanceNorm(input, {
      runningMean: this.runningMean, runningVar: this.runningVar, weight: this.weight, bias: this.bias,
      useInputStats: this.training || !this.trackRunningStats, momentum: this.momentum ?? 0.1, eps: this.eps,
    });
    return batched ? y : y.squeeze(0);
  }
  protected checkInput(x: Tensor): void {
    const d = this.spatialDims;
    if (x.ndim !== d + 1 && x.ndim !== d + 2) throw new Error(`expected ${d + 1}D or ${d + 2}D input (got ${x.ndim}D input)`);
  }
}
export class InstanceNorm1d extends InstanceNormBase {
  protected readonly spatialDims = 1;
}
export class InstanceNorm2d extends InstanceNormBase {
  protected readonly spatialDims = 2;
}
export class InstanceNorm3d extends InstanceNormBase {
  protected readonly spatialDims = 3;
}

export interface LayerNormOptions {
  normalizedShape?: number | readonly number[];
  eps?: number;
  elementwiseAffine?: boolean;
  dtype?: DType;
  device?: string;
}
/** `nn.LayerNorm(normalizedShape)`: normalises over the last dims; weight/bias have that shape. */
export class LayerNorm extends Module {
  weight: Parameter | null = null;
  bias: Parameter | null = null;
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  constructor(...args: PyArgs<[normalizedShape: number | readonly number[], eps: number, elementwiseAffine: boolean], LayerNormOptions>) {
    super();
    const o = pyArgs('LayerNorm', args, ['normalizedShape', 'eps', 'elementwiseAffine'], {
      normalizedShape: undefined as number | readonly number[] | undefined, eps: 1e-5, elementwiseAffine: true, dtype: getDefaultDtype(), device: undefined as string | undefined,
    });
    const shape = need('LayerNorm', 'normalizedShape', o.normalizedShape);
    this.normalizedShape = typeof shape === 'number' ? [shape] : [...shape];
    this.eps = o.eps;
    this.elementwiseAffine = o.elementwiseAffine;
    const f = { dtype: o.dtype, device: o.device };
    if (this.elementwiseAffine) {
      this.weight = new Parameter(ones(this.normalizedShape, f));
      this.bias = new Parameter(zeros(this.normalizedShape, f));
    }
  }
  override forward(x: Tensor): Tensor {
    return F.layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }
  override extraRepr(): string {
    const s = this.normalizedShape;
    return `(${s.join(', ')}${s.length === 1 ? ',' : ''}), eps=${pyFloat(this.eps)}, elementwise_affine=${tf(this.elementwiseAffine)}`;
  }
}

export interface GroupNormOptions {
  numGroups?: number;
  numChannels?: number;
  eps?: number;
  affine?: boolean;
  dtype?: DType;
  device?: string;
}
/** `nn.GroupNorm(numGroups, numChannels)`: statistics per sample and group; per-channel affine. */
export class GroupNorm extends Module {
  weight: Parameter | null = null;
  bias: Parameter | null = null;
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  readonly affine: boolean;
  constructor(...args: PyArgs<[numGroups: number, numChannels: number, eps: number, affine: boolean], GroupNormOptions>) {
    super();
    const o = pyArgs('GroupNorm', args, ['numGroups', 'numChannels', 'eps', 'affine'], {
      numGroups: undefined as number | undefined, numChannels: undefined as number | undefined, eps: 1e-5, affine: true, dtype: getDefaultDtype(), device: undefined as string | undefined,
    });
    this.numGroups = need('GroupNorm', 'numGroups', o.numGroups);
    this.numChannels = need('GroupNorm', 'numChannels', o.numChannels);
    if (this.numChannels % this.numGroups !== 0) throw new Error('num_channels must be divisible by num_groups');
    this.eps = o.eps;
    this.affine = o.affine;
    const f = { dtype: o.dtype, device: o.device };
    if (this.affine) {
      this.weight = new Parameter(ones([this.numChannels], f));
      this.bias = new Parameter(zeros([this.numChannels], f));
    }
  }
  override forward(x: Tensor): Tensor {
    return F.groupNorm(x, this.numGroups, this.weight, this.bias, this.eps);
  }
  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${tf(this.affine)}`;
  }
}
