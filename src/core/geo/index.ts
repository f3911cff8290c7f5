// Pure geometry for Wenming (no I/O): validation, measures, containment, the grid index and coordinate systems.
export * from './types.js';
export * from './contains.js';
export * from './measure.js';
export * from './validate.js';
export * from './grid-index.js';
export * from './crs.js';
export * from './bands.js';
