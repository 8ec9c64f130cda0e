/**
 * The service modules of Socle, in the order they are composed and seed their
 * demo data (the directory before the patients, the patients before the
 * accounts that point to them).
 */
import { identityModule } from '../identity/index.js';
import type { ModuleFactory } from './module.js';

export const MODULE_FACTORIES: readonly ModuleFactory[] = [
  identityModule,
];
