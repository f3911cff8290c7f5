// 测评体系: model (tree, items, checks), scoring rules, aggregation of 得分率, and the seed standard.
export * from './model.js';
export * from './rules.js';
export * from './aggregate.js';
export * from './seed.js';
