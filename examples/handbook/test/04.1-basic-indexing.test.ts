// Handbook 4.1 基本索引 (basic indexing): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, it } from 'vitest';
import * as torch from 'kindling';
import { expectSharesMemory, values } from './helpers/ch3-4.js';

describe('handbook 4.1 基本索引 (basic indexing)', () => {
  it('code example: integers, slices, steps and negative indices (views)', () => {
    const x = torch.randn(4, 5, 6);
    const at = (i: number, j: number, k: number) => x.index(i, j, k).item();

    const a = x.index(0); // x[0]  第一个元素 [5, 6]
    expect(a.shape).toEqual([5, 6]);
    const b = x.index(0, 1); // x[0, 1]  [6]
    expect(b.shape).toEqual([6]);
    const c = x.index(0, 1, 2); // x[0, 1, 2]  标量 (a 0-d tensor)
    expect(c.shape).toEqual([]);
    expect(c.item()).toBe(b.index(2).item());

    const d = x.index('1:3'); // x[1:3]  [2, 5, 6]
    expect(d.shape).toEqual([2, 5, 6]);
    expect(d.index(0, 4, 5).item()).toBe(at(1, 4, 5));
    const e = x.index(':', '1:4'); // x[:, 1:4]  [4, 3, 6]
    expect(e.shape).toEqual([4, 3, 6]);
    expect(e.index(3, 0, 2).item()).toBe(at(3, 1, 2));
    const f = x.index('::2'); // x[::2]  步长为2 (step 2): rows 0 and 2
    expect(f.shape).toEqual([2, 5, 6]);
    expect(f.index(1, 2, 3).item()).toBe(at(2, 2, 3));
    expect(values(x.index(torch.slice(null, null, 2)))).toEqual(values(f));

    const g = x.index(-1); // x[-1]  最后一个 (the last)
    expect(values(g)).toEqual(values(x.index(3)));
    const h = x.index(':', -1); // x[:, -1]  最后一列 (the last column)
    expect(h.shape).toEqual([4, 6]);
    expect(h.index(2, 5).item()).toBe(at(2, 4, 5));

    // Basic indexing returns views: writing through one changes x.
    for (const v of [a, b, c, d, e, f, g, h]) expectSharesMemory(v, x);
    f.index(1).fill_(7);
    expect(at(2, 0, 0)).toBe(7);
  });
});
