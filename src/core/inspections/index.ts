// 测评/督查: plan kinds and states, stratified sampling, walking routes, check-in distance, item outcomes, the
// case category of a standard item, and the JSON shapes of the inspections API (views.ts, types only). Pure.
export * from './kinds.js';
export * from './sampling.js';
export * from './route.js';
export * from './checkin.js';
export * from './outcome.js';
export * from './categories.js';
export * from './views.js';
