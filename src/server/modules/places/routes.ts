import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../lib/context.js';

/** Grids, points, locate and map layers. */
export async function placesModule(_app: FastifyInstance, _deps: Deps) {}
