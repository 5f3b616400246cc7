// Bench only: the posts service exactly as services/posts/dist/main.js starts it, except for the
// token verifier, chosen by BENCH_VERIFIER — so row 2 can measure what the token check costs:
//   default  mesh's createTokenVerifier as in production (ES256 via jose, cache of verified tokens)
//   nocache  the same verifier with cacheSize 0: every request pays the full signature check
//   off      no check at all: the token's payload is decoded (once per distinct token) and trusted.
//            Never anything but a loopback bench process.
import { createTokenVerifier, exitOnSignals, startService } from '@agora/mesh';
import { decodeJwt } from 'jose';
import { loadPostsConfig } from '../services/posts/dist/config.js';
import { wirePosts } from '../services/posts/dist/wiring.js';

const mode = process.env.BENCH_VERIFIER ?? 'default';
const config = loadPostsConfig();
if (config.HOST !== '127.0.0.1') throw new Error('posts-variant listens on loopback only');

function verifierFor(mode) {
  const options = { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, jwks: config.JWKS_URL };
  if (mode === 'default') return createTokenVerifier(options);
  if (mode === 'nocache') return createTokenVerifier({ ...options, cacheSize: 0 });
  if (mode === 'off') {
    const known = new Map();
    return {
      async verify(token) {
        let principal = known.get(token);
        if (!principal) {
          const p = decodeJwt(token);
          principal = { kind: 'user', userId: p.sub, username: p.preferred_username, roles: p.roles ?? [], sessionId: p.sid, tokenId: p.jti, expiresAt: p.exp };
          known.set(token, principal);
        }
        return principal;
      },
    };
  }
  throw new Error(`BENCH_VERIFIER: unknown mode ${mode}`);
}

const running = await startService('posts', config, async (ctx) => ({ ...(await wirePosts(ctx)), verifier: verifierFor(mode) }));
exitOnSignals(running, running.logger);
