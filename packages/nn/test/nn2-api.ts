// The nn namespace the nn2 tests use (temporary aggregation until the index wiring lands).
import * as base from '../src/index.js';
import * as conv from '../src/conv/conv.js';
import * as pooling from '../src/pooling/pooling.js';
import * as recurrent from '../src/recurrent/rnn.js';
import * as mha from '../src/attention/multihead.js';
import * as transformer from '../src/attention/transformer.js';
import * as Fatt from '../src/functional/attention.js';
import * as rnnUtils from '../src/utils/rnn.js';
import * as Fconv from '../src/functional/conv.js';
import * as Fpool from '../src/functional/pooling.js';
import * as Fpad from '../src/functional/padding.js';

export const functional = { ...base.functional, ...Fconv, ...Fpool, ...Fpad, ...Fatt };
export const utils = { ...base.utils, rnn: rnnUtils };
export const nn = { ...base, ...conv, ...pooling, ...recurrent, ...mha, ...transformer, functional, utils };
export { Module } from '../src/index.js';
