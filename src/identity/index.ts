/**
 * The identity service (issue #3): INS and identity-vigilance on Patient
 * writes (vigilance/), the INSi-like reference register and its operations
 * (insi/), matching, cross-references and merging (mpi/).
 */
import type { ModuleFactory } from '../platform/module.js';
import { createInsi } from './insi/index.js';
import { mpiOperations } from './mpi/index.js';
import { vigilanceHooks } from './vigilance/index.js';

export const identityModule: ModuleFactory = (context) => {
  const insi = createInsi(context);
  return {
    name: 'identity',
    operations: [...insi.operations, ...mpiOperations(context)],
    writeHooks: vigilanceHooks(context, insi.lookup, insi.writeGate),
  };
};
