// 测评/督查: plan kinds and states, stratified sampling, walking routes, check-in distance, item outcomes and the
// case category of a standard item. Pure.
export * from './kinds.js';
export * from './sampling.js';
export * from './route.js';
export * from './checkin.js';
export * from './outcome.js';
export * from './categories.js';
