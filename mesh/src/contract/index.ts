// The contract kit: the types and helpers every controller uses, so the services' contracts share
// one shape (ids, errors, pages) and one way to read the caller.
export * from './uuid.js';
export * from './problem-details.js';
export * from './page.js';
export * from './caller.js';
export * from './author.js';
export * from './openapi.js';
