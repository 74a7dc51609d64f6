// fixtures/optim/adam.json, recorded from PyTorch 1.13: see trajectories.ts for what is checked.
import { describeTrajectories } from './trajectories.js';

describeTrajectories('adam');
