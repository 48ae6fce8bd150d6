/** Public API of the pure catalog core (no IO). */
export * from './types.ts';
export * from './currencies.ts';
export * from './metadata.ts';
export * from './messages.ts';
export * from './spaceSchema.ts';
export * from './fieldErrors.ts';
export * from './desiredState.ts';
export * from './snapshot.ts';
export * from './snapshotFromStripe.ts';
export * from './operations.ts';
export * from './planSpaceSync.ts';
export * from './applyResult.ts';
export * from './resolveOperation.ts';
export * from './idempotency.ts';
export * from './describeChanges.ts';
export * from './planCatalog.ts';
export * from './formatPlan.ts';
