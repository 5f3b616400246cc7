/** The V8 flags the Dockerfile's runtime stage starts node with (ENV NODE_OPTIONS without --import, and CMD's). */
export function runtimeNodeFlags(dockerfilePath: string): string[];
