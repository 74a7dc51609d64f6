// Loss modules (handbook 7). Class weights are buffers, as PyTorch's `_WeightedLoss` registers them,
// so they move with `.to()` and appear in the state dict.
import type { Tensor } from '@kindling/tensor';
import { Module } from '../module.js';
import { type PyArgs, pyArgs } from '../args.js';
import * as F from '../functional/loss.js';

type R = F.Reduction;

abstract class Loss extends Module {
  readonly reduction: R;
  constructor(reduction: R = 'mean') {
    super();
    this.reduction = F.checkReduction(reduction);
  }
}
/** A loss with an optional `weight` buffer (positional first argument, as PyTorch). */
abstract class WeightedLoss extends Loss {
  declare weight: Tensor | null;
  constructor(weight: Tensor | null, reduction: R | undefined) {
    super(reduction);
    this.registerBuffer('weight', weight);
  }
}
type Weighted<O> = PyArgs<[weight: Tensor | null], O & { weight?: Tensor | null }>;

export class MSELoss extends Loss {
  constructor(opts?: { reduction?: R }) {
    super(opts?.reduction);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.mseLoss(input, target, { reduction: this.reduction });
  }
}
export class L1Loss extends Loss {
  constructor(opts?: { reduction?: R }) {
    super(opts?.reduction);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.l1Loss(input, target, { reduction: this.reduction });
  }
}
export class SmoothL1Loss extends Loss {
  readonly beta: number;
  constructor(opts?: { reduction?: R; beta?: number }) {
    super(opts?.reduction);
    this.beta = opts?.beta ?? 1;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}
export class HuberLoss extends Loss {
  readonly delta: number;
  constructor(opts?: { reduction?: R; delta?: number }) {
    super(opts?.reduction);
    this.delta = opts?.delta ?? 1;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}
export class SoftMarginLoss extends Loss {
  constructor(opts?: { reduction?: R }) {
    super(opts?.reduction);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.softMarginLoss(input, target, { reduction: this.reduction });
  }
}
export class GaussianNLLLoss extends Loss {
  readonly full: boolean;
  readonly eps: number;
  constructor(opts?: { full?: boolean; eps?: number; reduction?: R }) {
    super(opts?.reduction);
    this.full = opts?.full ?? false;
    this.eps = opts?.eps ?? 1e-6;
  }
  override forward(input: Tensor, target: Tensor, variance: Tensor): Tensor {
    return F.gaussianNllLoss(input, target, variance, { full: this.full, eps: this.eps, reduction: this.reduction });
  }
}
export class PoissonNLLLoss extends Loss {
  readonly logInput: boolean;
  readonly full: boolean;
  readonly eps: number;
  constructor(opts?: { logInput?: boolean; full?: boolean; eps?: number; reduction?: R }) {
    super(opts?.reduction);
    this.logInput = opts?.logInput ?? true;
    this.full = opts?.full ?? false;
    this.eps = opts?.eps ?? 1e-8;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.poissonNllLoss(input, target, { logInput: this.logInput, full: this.full, eps: this.eps, reduction: this.reduction });
  }
}

export class NLLLoss extends WeightedLoss {
  readonly ignoreIndex: number;
  constructor(...args: Weighted<{ ignoreIndex?: number; reduction?: R }>) {
    const o = pyArgs('NLLLoss', args, ['weight'], { weight: null as Tensor | null, ignoreIndex: -100, reduction: 'mean' as R });
    super(o.weight, o.reduction);
    this.ignoreIndex = o.ignoreIndex;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}
export class CrossEntropyLoss extends WeightedLoss {
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;
  constructor(...args: Weighted<{ ignoreIndex?: number; reduction?: R; labelSmoothing?: number }>) {
    const o = pyArgs('CrossEntropyLoss', args, ['weight'], { weight: null as Tensor | null, ignoreIndex: -100, reduction: 'mean' as R, labelSmoothing: 0 });
    super(o.weight, o.reduction);
    this.ignoreIndex = o.ignoreIndex;
    this.labelSmoothing = o.labelSmoothing;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.crossEntropy(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction, labelSmoothing: this.labelSmoothing });
  }
}
export class BCELoss extends WeightedLoss {
  constructor(...args: Weighted<{ reduction?: R }>) {
    const o = pyArgs('BCELoss', args, ['weight'], { weight: null as Tensor | null, reduction: 'mean' as R });
    super(o.weight, o.reduction);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}
export class BCEWithLogitsLoss extends WeightedLoss {
  declare posWeight: Tensor | null;
  constructor(...args: Weighted<{ reduction?: R; posWeight?: Tensor | null }>) {
    const o = pyArgs('BCEWithLogitsLoss', args, ['weight'], { weight: null as Tensor | null, reduction: 'mean' as R, posWeight: null as Tensor | null });
    super(o.weight, o.reduction);
    this.registerBuffer('pos_weight', o.posWeight);
    Object.defineProperty(this, 'posWeight', { get: () => (this as unknown as { pos_weight: Tensor | null }).pos_weight, enumerable: false });
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropyWithLogits(input, target, { weight: this.weight, posWeight: this.posWeight, reduction: this.reduction });
  }
}
export class MultiLabelSoftMarginLoss extends WeightedLoss {
  constructor(...args: Weighted<{ reduction?: R }>) {
    const o = pyArgs('MultiLabelSoftMarginLoss', args, ['weight'], { weight: null as Tensor | null, reduction: 'mean' as R });
    super(o.weight, o.reduction);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.multilabelSoftMarginLoss(input, target, { weight: this.weight, reduction: this.reduction });
  }
}
export class MultiMarginLoss extends WeightedLoss {
  readonly p: 1 | 2;
  readonly margin: number;
  constructor(...args: PyArgs<[p: 1 | 2, margin: number, weight: Tensor | null], { p?: 1 | 2; margin?: number; weight?: Tensor | null; reduction?: R }>) {
    const o = pyArgs('MultiMarginLoss', args, ['p', 'margin', 'weight'], { p: 1 as 1 | 2, margin: 1, weight: null as Tensor | null, reduction: 'mean' as R });
    if (o.p !== 1 && o.p !== 2) throw new Error('only p == 1 and p == 2 supported');
    if (o.weight && o.weight.ndim !== 1) throw new Error('weight must be one-dimensional');
    super(o.weight, o.reduction);
    this.p = o.p;
    this.margin = o.margin;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.multiMarginLoss(input, target, { p: this.p, margin: this.margin, weight: this.weight, reduction: this.reduction });
  }
}
export class KLDivLoss extends Module {
  readonly reduction: F.KLReduction;
  readonly logTarget: boolean;
  constructor(opts?: { reduction?: F.KLReduction; logTarget?: boolean }) {
    super();
    this.reduction = opts?.reduction ?? 'mean';
    if (this.reduction !== 'batchmean') F.checkReduction(this.reduction);
    this.logTarget = opts?.logTarget ?? false;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}
export class CosineEmbeddingLoss extends Loss {
  readonly margin: number;
  constructor(opts?: { margin?: number; reduction?: R }) {
    super(opts?.reduction);
    this.margin = opts?.margin ?? 0;
  }
  override forward(x1: Tensor, x2: Tensor, target: Tensor): Tensor {
    return F.cosineEmbeddingLoss(x1, x2, target, { margin: this.margin, reduction: this.reduction });
  }
}
export class MarginRankingLoss extends Loss {
  readonly margin: number;
  constructor(opts?: { margin?: number; reduction?: R }) {
    super(opts?.reduction);
    this.margin = opts?.margin ?? 0;
  }
  override forward(x1: Tensor, x2: Tensor, target: Tensor): Tensor {
    return F.marginRankingLoss(x1, x2, target, { margin: this.margin, reduction: this.reduction });
  }
}
export class TripletMarginLoss extends Loss {
  readonly margin: number;
  readonly p: number;
  readonly eps: number;
  readonly swap: boolean;
  constructor(opts?: { margin?: number; p?: number; eps?: number; swap?: boolean; reduction?: R }) {
    super(opts?.reduction);
    this.margin = opts?.margin ?? 1;
    this.p = opts?.p ?? 2;
    this.eps = opts?.eps ?? 1e-6;
    this.swap = opts?.swap ?? false;
  }
  override forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return F.tripletMarginLoss(anchor, positive, negative, { margin: this.margin, p: this.p, eps: this.eps, swap: this.swap, reduction: this.reduction });
  }
}
/** `nn.CTCLoss(blank = 0, reduction = 'mean', zeroInfinity = false)`; forward(logProbs, targets, inputLengths, targetLengths). */
export class CTCLoss extends Loss {
  readonly blank: number;
  readonly zeroInfinity: boolean;
  constructor(...args: PyArgs<[blank: number, reduction: R, zeroInfinity: boolean], F.CTCLossOptions>) {
    const o = pyArgs('CTCLoss', args, ['blank', 'reduction', 'zeroInfinity'], { blank: 0, reduction: 'mean' as R, zeroInfinity: false });
    super(o.reduction);
    this.blank = o.blank;
    this.zeroInfinity = o.zeroInfinity;
  }
  override forward(logProbs: Tensor, targets: Tensor, inputLengths: F.Lengths, targetLengths: F.Lengths): Tensor {
    return F.ctcLoss(logProbs, targets, inputLengths, targetLengths, { blank: this.blank, reduction: this.reduction, zeroInfinity: this.zeroInfinity });
  }
}
