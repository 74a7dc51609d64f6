// Handbook 14.5 其他实用函数 (other utilities): the section's code block in TypeScript — set_seed, a
// timer used as a `with` block (here a `using` declaration), and CUDA-synchronised timing.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';

/**
 * 设置随机种子. NumPy's and Python's `random` have no counterpart here (JavaScript's Math.random cannot
 * be seeded), and torch.backends.cudnn does not exist: Kindling's kernels are deterministic.
 */
function setSeed(seed = 42): void {
  torch.manualSeed(seed);
  torch.cuda.manualSeedAll(seed); // a no-op without CUDA, as in PyTorch
}

/** 计时器: `with Timer():` is `using timer = new Timer()`; the block's end calls [Symbol.dispose]. */
class Timer implements Disposable {
  start = performance.now() / 1000;
  elapsed = 0;
  readonly lines: string[] = [];
  [Symbol.dispose](): void {
    this.elapsed = performance.now() / 1000 - this.start;
    this.lines.push(`Elapsed: ${this.elapsed.toFixed(4)}s`);
  }
}

describe('14.5 other utilities', () => {
  test('set_seed: the same seed gives the same numbers', () => {
    setSeed(42);
    const a = torch.randn(5).tolist();
    setSeed(42);
    expect(torch.randn(5).tolist()).toEqual(a);
    setSeed();
    // PyTorch 1.13's first draw after manual_seed(42): torch.rand(1) = 0.8823
    expect(torch.rand(1).item()).toBeCloseTo(0.8822692632675171, 7);
  });

  test('Timer: the elapsed time of a block', () => {
    const model = new nn.Linear(64, 64);
    const input = torch.randn(32, 64);
    let output: torch.Tensor | undefined;
    let timer: Timer;
    {
      using t = new Timer();
      timer = t;
      output = model.forward(input);
    }
    expect(output.shape).toEqual([32, 64]);
    expect(timer.elapsed).toBeGreaterThanOrEqual(0);
    expect(timer.lines[0]).toMatch(/^Elapsed: \d+\.\d{4}s$/);
  });

  test('CUDA 同步计时: synchronize() needs a GPU; without one, the error says why', () => {
    const model = new nn.Linear(8, 8);
    const input = torch.randn(2, 8);
    if (torch.cuda.isAvailable()) {
      torch.cuda.synchronize();
      const start = performance.now();
      model.to('cuda').forward(input.to('cuda'));
      torch.cuda.synchronize();
      expect(performance.now() - start).toBeGreaterThanOrEqual(0);
    } else {
      // On cpu every op has finished when it returns: time it directly.
      const start = performance.now();
      const output = model.forward(input);
      const elapsed = performance.now() - start;
      expect(output.shape).toEqual([2, 8]);
      expect(elapsed).toBeGreaterThanOrEqual(0);
      expect(() => torch.cuda.synchronize()).toThrow(/CUDA is not available/);
    }
  });
});
