// A map-style dataset whose getItem is CPU-bound, for bench/dataloader.mjs. Each sample is a
// deterministic function of its index: a 3x32x32 float32 image built by a few dozen iterations
// of arithmetic per pixel (about 2-5 ms on one core), and an integer label in [0, 10).
// Worker threads import this file as plain JavaScript, so it is .mjs.
import * as torch from '@kindling/tensor';
import { Dataset } from '@kindling/data';

const PIXELS = 3 * 32 * 32;

export class CpuHeavyDataset extends Dataset {
  /** n samples; `work` iterations of arithmetic per pixel (the cost knob). */
  constructor(n, work = 40) {
    super();
    this.n = n;
    this.work = work;
  }

  get length() {
    return this.n;
  }

  getItem(i) {
    const out = new Float32Array(PIXELS);
    let acc = 0;
    for (let p = 0; p < PIXELS; p++) {
      let v = ((i * 7919 + p * 104729) % 1000) / 1000;
      for (let k = 0; k < this.work; k++) v = Math.sin(v * 3.1 + k) * 0.5 + v * 0.5;
      out[p] = v;
      acc += v;
    }
    const label = Math.floor(Math.abs(acc) * 1000) % 10;
    return [torch.fromArray(out, [3, 32, 32]), label];
  }
}
