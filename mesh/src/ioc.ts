import type { Request } from 'koa';

/**
 * tsoa's IoC hook: every controller is constructed per request with the service's dependencies
 * (`app.context.deps`, set by createApp), so no module-level singletons exist and several service
 * instances can live in one test process.
 */
interface ControllerClass<T> {
  prototype: T;
}

export function iocContainer(request: unknown) {
  const deps = (request as Request).ctx.deps;
  return {
    get<T>(controller: ControllerClass<T>): T {
      return new (controller as unknown as new (deps: unknown) => T)(deps);
    },
  };
}

declare module 'koa' {
  interface ExtendableContext {
    deps: unknown;
  }
}
