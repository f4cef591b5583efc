export * from './coordinator/types.js';
export { GroupCoordinator, type CoordinatorOptions } from './coordinator/coordinator.js';
