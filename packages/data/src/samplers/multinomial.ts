/**
 * `torch.multinomial(weights, numSamples, replacement, generator)` for a 1-d float64 weight
 * vector, drawing as PyTorch 1.13's CPU kernels do (aten/src/ATen/native/Distributions.cpp and
 * native/cpu/MultinomialKernel.cpp), so the same seed gives the same indices:
 *
 * - without replacement: the Gumbel-top-k trick. `q = exponential_(1)` over
 *   the weights (one double uniform each, in order), then the indices of the `numSamples` largest
 *   `w / q`, largest first (argmax when one sample).
 * - with replacement (even for a single sample, as this PyTorch build does): the normalised cumulative distribution (running sum, divided by the total,
 *   last entry forced to 1) and, per sample, one double uniform located by binary search (the
 *   first bucket whose cumulative value is ≥ u).
 *
 * One deviation: categories of weight 0 all score 0, and PyTorch's topk orders such ties by its
 * partial sort's internals; here ties keep index order. They are only drawn, without replacement,
 * once every category of positive weight has been.
 */
import { type Generator, defaultGenerator, empty } from '@kindling/tensor';

const TWO_POW_M53 = 2 ** -53;

function checkWeights(w: Float64Array, numSamples: number, replacement: boolean): void {
  if (w.length === 0) throw new RangeError('cannot sample from an empty probability distribution');
  if (!Number.isInteger(numSamples) || numSamples <= 0) throw new RangeError('cannot sample n_sample <= 0 samples');
  if (!replacement && numSamples > w.length) {
    throw new RangeError('cannot sample n_sample > prob_dist.size(-1) samples without replacement');
  }
}

export function multinomial(weights: Float64Array, numSamples: number, replacement: boolean, generator?: Generator): number[] {
  checkWeights(weights, numSamples, replacement);
  const gen = generator ?? defaultGenerator();
  if (!replacement) return gumbelTopK(weights, numSamples, gen);
  return inverseCdf(weights, numSamples, gen);
}

function gumbelTopK(w: Float64Array, k: number, gen: Generator): number[] {
  let sum = 0;
  for (const v of w) {
    if (!(v >= 0 && v < Infinity)) throw new RangeError('probability tensor contains either `inf`, `nan` or element < 0');
    sum += v;
  }
  if (sum === 0) throw new RangeError('invalid multinomial distribution (sum of probabilities <= 0)');
  // The tensor package's exponential_ is PyTorch's sampler; draw through it so the stream matches.
  const q = empty([w.length], { dtype: 'float64' }).exponential_(1, { generator: gen }).dataSync() as Float64Array;
  const score = Float64Array.from(w, (v, i) => v / q[i]!);
  const order = Array.from(score.keys());
  // Largest first; NaN (0/0 cannot occur: q > 0) would sort first in PyTorch's comparator.
  order.sort((a, b) => score[b]! - score[a]! || a - b);
  return order.slice(0, k);
}

function inverseCdf(w: Float64Array, n: number, gen: Generator): number[] {
  const cdf = new Float64Array(w.length);
  let sum = 0;
  for (let j = 0; j < w.length; j++) {
    const v = w[j]!;
    if (!(v >= 0)) throw new RangeError('invalid multinomial distribution (encountering probability entry < 0)');
    if (!Number.isFinite(v)) throw new RangeError('invalid multinomial distribution (encountering probability entry = infinity or NaN)');
    sum += v;
    cdf[j] = sum;
  }
  if (!(sum > 0)) throw new RangeError('invalid multinomial distribution (sum of probabilities <= 0)');
  for (let j = 0; j < cdf.length; j++) cdf[j]! /= sum;
  cdf[cdf.length - 1] = 1;
  const out: number[] = [];
  for (let s = 0; s < n; s++) {
    // uniform_real_distribution<double>(0, 1): 53 bits of a 64-bit draw.
    const u = gen.random53() * TWO_POW_M53;
    let left = 0;
    let right = cdf.length;
    while (right - left > 0) {
      const mid = left + ((right - left) >> 1);
      if (cdf[mid]! < u) left = mid + 1;
      else right = mid;
    }
    out.push(left);
  }
  return out;
}
