export * from './actions.js';
export * from './budgets.js';
export * from './account-rate-limits.js';
export * from './schema.js';
