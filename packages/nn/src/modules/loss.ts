import type { Tensor } from '@kindling/tensor';
import { Module } from '../module.js';
import * as F from '../functional/loss.js';

type R = F.Reduction;

abstract class Loss extends Module {
  readonly reduction: R;
  constructor(opts?: { reduction?: R }) {
    super();
    this.reduction = opts?.reduction ?? 'mean';
    if (!['none', 'mean', 'sum'].includes(this.reduction)) throw new Error(`${this.reduction} is not a valid value for reduction`);
  }
}

export class MSELoss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.mseLoss(input, target, { reduction: this.reduction });
  }
}
export class L1Loss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.l1Loss(input, target, { reduction: this.reduction });
  }
}
export class SmoothL1Loss extends Loss {
  readonly beta: number;
  constructor(opts?: { reduction?: R; beta?: number }) {
    super(opts);
    this.beta = opts?.beta ?? 1;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}
export class HuberLoss extends Loss {
  readonly delta: number;
  constructor(opts?: { reduction?: R; delta?: number }) {
    super(opts);
    this.delta = opts?.delta ?? 1;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}
export class NLLLoss extends Loss {
  readonly weight: Tensor | null;
  readonly ignoreIndex: number;
  constructor(opts?: { weight?: Tensor | null; ignoreIndex?: number; reduction?: R }) {
    super(opts);
    this.weight = opts?.weight ?? null;
    this.ignoreIndex = opts?.ignoreIndex ?? -100;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}
export class CrossEntropyLoss extends Loss {
  readonly weight: Tensor | null;
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;
  constructor(opts?: { weight?: Tensor | null; ignoreIndex?: number; reduction?: R; labelSmoothing?: number }) {
    super(opts);
    this.weight = opts?.weight ?? null;
    this.ignoreIndex = opts?.ignoreIndex ?? -100;
    this.labelSmoothing = opts?.labelSmoothing ?? 0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.crossEntropy(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction, labelSmoothing: this.labelSmoothing });
  }
}
export class BCELoss extends Loss {
  readonly weight: Tensor | null;
  constructor(opts?: { weight?: Tensor | null; reduction?: R }) {
    super(opts);
    this.weight = opts?.weight ?? null;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}
export class BCEWithLogitsLoss extends Loss {
  readonly weight: Tensor | null;
  readonly posWeight: Tensor | null;
  constructor(opts?: { weight?: Tensor | null; posWeight?: Tensor | null; reduction?: R }) {
    super(opts);
    this.weight = opts?.weight ?? null;
    this.posWeight = opts?.posWeight ?? null;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropyWithLogits(input, target, { weight: this.weight, posWeight: this.posWeight, reduction: this.reduction });
  }
}
export class MultiLabelSoftMarginLoss extends Loss {
  readonly weight: Tensor | null;
  constructor(opts?: { weight?: Tensor | null; reduction?: R }) {
    super(opts);
    this.weight = opts?.weight ?? null;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.multilabelSoftMarginLoss(input, target, { weight: this.weight, reduction: this.reduction });
  }
}
export class MultiMarginLoss extends Loss {
  readonly p: 1 | 2;
  readonly margin: number;
  readonly weight: Tensor | null;
  constructor(opts?: { p?: 1 | 2; margin?: number; weight?: Tensor | null; reduction?: R }) {
    super(opts);
    this.p = opts?.p ?? 1;
    this.margin = opts?.margin ?? 1;
    this.weight = opts?.weight ?? null;
    if (this.p !== 1 && this.p !== 2) throw new Error('only p == 1 and p == 2 supported');
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
    this.logTarget = opts?.logTarget ?? false;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}
export class CosineEmbeddingLoss extends Loss {
  readonly margin: number;
  constructor(opts?: { margin?: number; reduction?: R }) {
    super(opts);
    this.margin = opts?.margin ?? 0;
  }
  override forward(x1: Tensor, x2: Tensor, target: Tensor): Tensor {
    return F.cosineEmbeddingLoss(x1, x2, target, { margin: this.margin, reduction: this.reduction });
  }
}
export class MarginRankingLoss extends Loss {
  readonly margin: number;
  constructor(opts?: { margin?: number; reduction?: R }) {
    super(opts);
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
    super(opts);
    this.margin = opts?.margin ?? 1;
    this.p = opts?.p ?? 2;
    this.eps = opts?.eps ?? 1e-6;
    this.swap = opts?.swap ?? false;
  }
  override forward(a: Tensor, p: Tensor, n: Tensor): Tensor {
    return F.tripletMarginLoss(a, p, n, { margin: this.margin, p: this.p, eps: this.eps, swap: this.swap, reduction: this.reduction });
  }
}
export class SoftMarginLoss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.softMarginLoss(input, target, { reduction: this.reduction });
  }
}
