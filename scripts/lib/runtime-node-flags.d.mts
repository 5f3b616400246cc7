/** The V8 flags the Dockerfile's runtime stage starts node with (ENV NODE_OPTIONS and CMD's). */
export function runtimeNodeFlags(dockerfilePath: string): string[];
