export * from "./customers.js";
export * from "./identities.js";
export * from "./interactions.js";
export * from "./journey-events.js";
export * from "./api-keys.js";
export * from "./merges.js";
export * from "./identity-events.js";
