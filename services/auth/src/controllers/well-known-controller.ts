import { Controller, Get, Response, Route, Tags } from '@tsoa/runtime';
import type { ProblemDetails } from '@agora/mesh';
import type { AuthDeps } from '../wiring.js';

export interface PublicJwk {
  kty: string;
  kid: string;
  alg: string;
  use: string;
  crv?: string;
  x?: string;
  y?: string;
}

export interface PublicJwkSet {
  keys: PublicJwk[];
}

export interface OpenIdConfiguration {
  issuer: string;
  jwks_uri: string;
  token_endpoint: string;
  registration_endpoint: string;
  response_types_supported: string[];
  subject_types_supported: string[];
  id_token_signing_alg_values_supported: string[];
  token_endpoint_auth_methods_supported: string[];
  grant_types_supported: string[];
}

@Route('.well-known')
@Tags('discovery')
@Response<ProblemDetails>(400, 'A query parameter was sent (these take none)')
export class WellKnownController extends Controller {
  constructor(private readonly deps: AuthDeps) {
    super();
  }

  /**
   * Public signing keys: the active key and retired keys whose tokens may still be live.
   * @summary Public signing keys (JWKS)
   */
  @Get('jwks.json')
  public async jwks(): Promise<PublicJwkSet> {
    // Verifiers cache this; keys change only on rotation, which verifiers handle by kid.
    this.setHeader('Cache-Control', 'public, max-age=300');
    return this.deps.keys.jwks() as PublicJwkSet;
  }

  /**
   * OpenID discovery metadata, so standard tooling (Istio, gateways) can find the JWKS.
   * @summary OpenID discovery metadata
   */
  @Get('openid-configuration')
  public async openidConfiguration(): Promise<OpenIdConfiguration> {
    const issuer = this.deps.config.JWT_ISSUER.replace(/\/$/, '');
    this.setHeader('Cache-Control', 'public, max-age=300');
    return {
      issuer: this.deps.config.JWT_ISSUER,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      token_endpoint: `${issuer}/api/v1/auth/login`,
      registration_endpoint: `${issuer}/api/v1/auth/register`,
      response_types_supported: ['token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
      token_endpoint_auth_methods_supported: ['none'],
      grant_types_supported: ['password', 'refresh_token'],
    };
  }
}
