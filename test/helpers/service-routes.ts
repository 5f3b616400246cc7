import type Router from '@koa/router';
import { SERVICE_NAMES, type ServiceName } from '../../mesh/src/topology.js';

/** What tsoa generates in services/<name>/src/generated/routes.ts. */
export type RegisterRoutes = (router: Router) => void;

/**
 * Every service's tsoa-generated `RegisterRoutes`, found by path from the service list, so the
 * contract tests that run each service's real routes need no edit when a service is added.
 */
export async function loadServiceRoutes(): Promise<Record<ServiceName, RegisterRoutes>> {
  const loaded = await Promise.all(
    SERVICE_NAMES.map(async (name) => {
      const module = (await import(`../../services/${name}/src/generated/routes.ts`)) as { RegisterRoutes: RegisterRoutes };
      return [name, module.RegisterRoutes] as const;
    }),
  );
  return Object.fromEntries(loaded) as Record<ServiceName, RegisterRoutes>;
}
