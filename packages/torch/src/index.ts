// kindling: `import * as torch from 'kindling'` — the PyTorch-shaped namespace over all packages.
import '@kindling/backend-cpu';
import * as data from '@kindling/data';

export * from '@kindling/tensor';
export * as autograd from '@kindling/autograd';
export { noGrad, enableGrad, inferenceMode, setGradEnabled, isGradEnabled, isInferenceModeEnabled } from '@kindling/autograd';
export * as nn from '@kindling/nn';
export * as optim from '@kindling/optim';
export { save, load } from '@kindling/io';
export * as cuda from './cuda.js';
export { amp, cpu } from './amp.js';
import { backendsCuda } from './cuda.js';
/** `torch.backends` (the cuda matmul settings). */
export const backends = { cuda: backendsCuda };

/** `torch.utils.data`. */
export const utils = { data };
