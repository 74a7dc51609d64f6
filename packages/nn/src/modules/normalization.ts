import { type DType, ones, type Tensor, zeros, tensor } from '@kindling/tensor';
import { noGrad } from '@kindling/autograd';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { pyFloat } from '../pyrepr.js';
import * as F from '../functional/normalization.js';

interface NormOptions {
  eps?: number;
  momentum?: number | null;
  affine?: boolean;
  trackRunningStats?: boolean;
  dtype?: DType;
  device?: string;
}

const tf = (b: boolean) => (b ? 'True' : 'False');

abstract class NormBase extends Module {
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Parameter | null = null;
  bias: Parameter | null = null;
  declare runningMean: Tensor | null;
  declare runningVar: Tensor | null;
  declare numBatchesTracked: Tensor | null;
  constructor(
    readonly numFeatures: number,
    opts: NormOptions,
    defaults: { affine: boolean; track: boolean },
  ) {
    super();
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum === undefined ? 0.1 : opts.momentum;
    this.affine = opts.affine ?? defaults.affine;
    this.trackRunningStats = opts.trackRunningStats ?? defaults.track;
    const f = { dtype: opts.dtype ?? 'float32', device: opts.device ?? 'cpu' } as const;
    if (this.affine) {
      this.weight = new Parameter(ones([numFeatures], f));
      this.bias = new Parameter(zeros([numFeatures], f));
    }
    // PyTorch's buffer names, so state dicts interchange.
    this.registerBuffer('running_mean', this.trackRunningStats ? zeros([numFeatures], f) : null);
    this.registerBuffer('running_var', this.trackRunningStats ? ones([numFeatures], f) : null);
    this.registerBuffer('num_batches_tracked', this.trackRunningStats ? tensor(0, { dtype: 'int64' }) : null);
    for (const [js, py] of [['runningMean', 'running_mean'], ['runningVar', 'running_var'], ['numBatchesTracked', 'num_batches_tracked']] as const) {
      Object.defineProperty(this, js, { get: () => (this as unknown as Record<string, Tensor | null>)[py], enumerable: false });
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
  protected abstract checkInput(x: Tensor): void;
  /** The momentum for this step, counting batches when momentum is null (cumulative average). */
  protected stepFactor(): number {
    let factor = this.momentum ?? 0;
    if (this.training && this.trackRunningStats && this.numBatchesTracked) {
      noGrad(() => this.numBatchesTracked!.add_(1));
      if (this.momentum === null) factor = 1 / Number(this.numBatchesTracked.item());
    }
    return factor;
  }
}

abstract class BatchNormBase extends NormBase {
  constructor(numFeatures: number, opts: NormOptions = {}) {
    super(numFeatures, opts, { affine: true, track: true });
  }
  override forward(x: Tensor): Tensor {
    this.checkInput(x);
    const factor = this.stepFactor();
    const useBatch = this.training || (!this.runningMean && !this.runningVar);
    const track = !this.training || this.trackRunningStats;
    return F.batchNorm(x, {
      runningMean: track ? this.runningMean : null,
      runningVar: track ? this.runningVar : null,
      weight: this.weight,
      bias: this.bias,
      training: useBatch,
      momentum: factor,
      eps: this.eps,
    });
  }
  override extraRepr(): string {
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${this.momentum === null ? 'None' : pyFloat(this.momentum)}, affine=${tf(this.affine)}, track_running_stats=${tf(this.trackRunningStats)}`;
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

abstract class InstanceNormBase extends NormBase {
  constructor(numFeatures: number, opts: NormOptions = {}) {
    super(numFeatures, opts, { affine: false, track: false });
  }
  protected abstract readonly spatialDims: number;
  override forward(x: Tensor): Tensor {
    this.checkInput(x);
    const batched = x.ndim === this.spatialDims + 2;
    const input = batched ? x : x.unsqueeze(0);
    const factor = this.stepFactor();
    const y = F.instanceNorm(input, {
      runningMean: this.runningMean,
      runningVar: this.runningVar,
      weight: this.weight,
      bias: this.bias,
      useInputStats: this.training || !this.trackRunningStats,
      momentum: factor,
      eps: this.eps,
    });
    return batched ? y : y.squeeze(0);
  }
  protected checkInput(x: Tensor): void {
    const d = this.spatialDims;
    if (x.ndim !== d + 1 && x.ndim !== d + 2) throw new Error(`expected ${d + 1}D or ${d + 2}D input (got ${x.ndim}D input)`);
  }
  override extraRepr(): string {
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${this.momentum === null ? 'None' : pyFloat(this.momentum)}, affine=${tf(this.affine)}, track_running_stats=${tf(this.trackRunningStats)}`;
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

export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight: Parameter | null = null;
  bias: Parameter | null = null;
  constructor(normalizedShape: number | readonly number[], opts: { eps?: number; elementwiseAffine?: boolean; dtype?: DType; device?: string } = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.eps = opts.eps ?? 1e-5;
    this.elementwiseAffine = opts.elementwiseAffine ?? true;
    const f = { dtype: opts.dtype ?? 'float32', device: opts.device ?? 'cpu' } as const;
    if (this.elementwiseAffine) {
      this.weight = new Parameter(ones(this.normalizedShape, f));
      this.bias = new Parameter(zeros(this.normalizedShape, f));
    }
  }
  override forward(x: Tensor): Tensor {
    return F.layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }
  override extraRepr(): string {
    const shape = this.normalizedShape.length === 1 ? `(${this.normalizedShape[0]},)` : `(${this.normalizedShape.join(', ')})`;
    return `${shape}, eps=${pyFloat(this.eps)}, elementwise_affine=${tf(this.elementwiseAffine)}`;
  }
}

export class GroupNorm extends Module {
  readonly eps: number;
  readonly affine: boolean;
  weight: Parameter | null = null;
  bias: Parameter | null = null;
  constructor(
    readonly numGroups: number,
    readonly numChannels: number,
    opts: { eps?: number; affine?: boolean; dtype?: DType; device?: string } = {},
  ) {
    super();
    if (numChannels % numGroups !== 0) throw new Error('num_channels must be divisible by num_groups');
    this.eps = opts.eps ?? 1e-5;
    this.affine = opts.affine ?? true;
    const f = { dtype: opts.dtype ?? 'float32', device: opts.device ?? 'cpu' } as const;
    if (this.affine) {
      this.weight = new Parameter(ones([numChannels], f));
      this.bias = new Parameter(zeros([numChannels], f));
    }
  }
  override forward(x: Tensor): Tensor {
    return F.groupNorm(x, this.numGroups, this.weight, this.bias, this.eps);
  }
  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${tf(this.affine)}`;
  }
}
