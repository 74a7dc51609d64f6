export { Sequential, type SequentialConstructor } from './sequential.js';
export { ModuleList } from './module-list.js';
export { ModuleDict, type ModuleDictConstructor } from './module-dict.js';
export { ParameterList, ParameterDict } from './parameter-containers.js';
