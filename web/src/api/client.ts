import createClient from 'openapi-fetch';
import type { paths } from '@agora/client';
import { browserSession } from '../session/session';

/**
 * The page's one session and the typed client generated from openapi/agora.json, talking to the
 * same origin (the ingress serves both the app and /api).
 */
export const session = browserSession();
export const api = createClient<paths>({ baseUrl: window.location.origin, fetch: session.fetch });

/** The schemas of the contract, by name (no hand-written response types). */
export type Schemas = import('@agora/client/schema').components['schemas'];
