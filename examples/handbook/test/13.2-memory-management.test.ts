// Handbook 13.2 内存管理 (memory management): the section's code block in TypeScript.
//
// Without a GPU (CI has none; see 13.1) PyTorch's memory queries answer 0 and emptyCache() /
// resetPeakMemoryStats() do nothing; Kindling answers the same. With CUDA, the numbers come from
// @kindling/backend-cuda's caching allocator, and a tensor allocated on the GPU shows in them.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';

const cuda = torch.cuda.isAvailable();

describe('13.2 memory management', () => {
  test('显存查看, 清理缓存, 重置统计, 内存快照', () => {
    let keep: torch.Tensor | null = cuda ? torch.zeros(1024, 1024, { device: 'cuda' }) : null;
    const allocated = torch.cuda.memoryAllocated(); // 已分配
    const reserved = torch.cuda.memoryReserved(); // 已预留
    const peak = torch.cuda.maxMemoryAllocated();
    if (cuda) {
      expect(allocated).toBeGreaterThanOrEqual(4 * 1024 * 1024);
      expect(reserved).toBeGreaterThanOrEqual(allocated);
      expect(peak).toBeGreaterThanOrEqual(allocated);
    } else {
      expect([allocated, reserved, peak]).toEqual([0, 0, 0]);
    }
    keep = null;
    torch.cuda.emptyCache(); // 清理缓存
    torch.cuda.resetPeakMemoryStats(); // 重置统计
    if (!cuda) expect(torch.cuda.maxMemoryAllocated()).toBe(0);
    // 内存快照: PyTorch's memory_summary table
    const summary = torch.cuda.memorySummary();
    expect(summary).toContain('PyTorch CUDA memory summary, device ID 0');
    expect(summary).toContain('Allocated memory');
    expect(keep).toBeNull();
  });
});
