import { AsyncLocalStorage } from 'node:async_hooks';

/** Per-request facts that logs and outgoing calls need without threading them through every call. */
export interface RequestContext {
  requestId: string;
  /** The caller's bearer token, forwarded on service-to-service calls made on the user's behalf. */
  bearerToken?: string;
  /** Incoming tracing headers that Istio/Envoy needs propagated (B3, x-ot-span-context). */
  forwardHeaders: Record<string, string>;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

export function currentRequest(): RequestContext | undefined {
  return requestContext.getStore();
}
