export { Sequential, type SequentialConstructor, type SequentialImpl } from './sequential.js';
export { ModuleList } from './module-list.js';
export { ModuleDict, type ModuleDictConstructor, type ModuleDictImpl } from './module-dict.js';
export { ParameterList, ParameterDict } from './parameter-containers.js';
