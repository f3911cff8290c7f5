// Every area registers its routes here, one line each.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../lib/context.js';
import { placesModule } from './places/routes.js';
import { orgModule } from './org/routes.js';
import { usersModule } from './users/routes.js';
import { adminModule } from './admin/routes.js';
import { casesModule } from './cases/routes.js';
import { standardsModule } from './standards/routes.js';
import { categoriesModule } from './categories/routes.js';
import { routingModule } from './routing/routes.js';
import { photosModule } from './photos/routes.js';
import { notificationsModule } from './notifications/routes.js';
import { ledgerModule } from './ledger/routes.js';
import { importsModule } from './imports/routes.js';
import { calendarModule } from './calendar/routes.js';
import { inspectionsModule } from './inspections/routes.js';
import { inspectionReportsModule } from './inspections/report/routes.js';
import { evidenceModule } from './evidence/routes.js';

export type ModuleRegistrar = (app: FastifyInstance, deps: Deps) => Promise<void>;

export const MODULES: ModuleRegistrar[] = [adminModule, orgModule, usersModule, placesModule, categoriesModule, routingModule, photosModule, casesModule, notificationsModule, ledgerModule, importsModule, calendarModule, standardsModule, evidenceModule, inspectionsModule, inspectionReportsModule];
