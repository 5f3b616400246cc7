import { describe, expect, it } from 'vitest';
import { signLocalAssertion, workloadFromLocalAssertion, workloadFromXfcc } from '../src/auth/workload-identity.js';

describe('workload identity', () => {
  it('reads the immediate caller from the last XFCC element Istio set', () => {
    const xfcc = 'By=spiffe://cluster.local/ns/agora/sa/users;Hash=abc;Subject="";URI=spiffe://cluster.local/ns/agora/sa/posts';
    expect(workloadFromXfcc(xfcc)).toEqual({ kind: 'workload', service: 'posts', principal: 'cluster.local/ns/agora/sa/posts' });
    const chained = `By=spiffe://x/ns/a/sa/b;URI=spiffe://cluster.local/ns/agora/sa/media,${xfcc}`;
    expect(workloadFromXfcc(chained)?.service).toBe('posts');
  });

  it("accepts only the cluster's trust domain and the services' namespace", () => {
    const xfcc = (uri: string) => `By=spiffe://cluster.local/ns/agora/sa/users;Hash=abc;URI=spiffe://${uri}`;
    expect(workloadFromXfcc(xfcc('cluster.local/ns/agora/sa/posts'))?.service).toBe('posts');
    expect(workloadFromXfcc(xfcc('evil.example/ns/agora/sa/posts'))).toBeUndefined();
    expect(workloadFromXfcc(xfcc('cluster.local/ns/default/sa/posts'))).toBeUndefined();
    expect(workloadFromXfcc(xfcc('cluster.local/ns/agora-test/sa/posts'))).toBeUndefined();
    expect(workloadFromXfcc(xfcc('cluster.local/ns/agora/sa/posts'), { trustDomain: 'prod.agora.dev', namespace: 'agora' })).toBeUndefined();
    expect(workloadFromXfcc(xfcc('prod.agora.dev/ns/agora/sa/posts'), { trustDomain: 'prod.agora.dev', namespace: 'agora' })?.service).toBe('posts');
  });

  it('returns nothing for a missing or malformed XFCC', () => {
    expect(workloadFromXfcc(undefined)).toBeUndefined();
    expect(workloadFromXfcc('Hash=abc')).toBeUndefined();
    expect(workloadFromXfcc('URI=spiffe://cluster.local/not-a-principal')).toBeUndefined();
  });

  it('local assertions verify with the shared key and fail with another key, when stale, or when altered', () => {
    const key = 'k'.repeat(40);
    const now = Date.now();
    const header = signLocalAssertion('posts', key, now);
    expect(workloadFromLocalAssertion(header, key, now)).toMatchObject({ service: 'posts' });
    expect(workloadFromLocalAssertion(header, 'x'.repeat(40), now)).toBeUndefined();
    expect(workloadFromLocalAssertion(header, key, now + 120_000)).toBeUndefined();
    expect(workloadFromLocalAssertion(header.replace('posts', 'media'), key, now)).toBeUndefined();
    expect(workloadFromLocalAssertion('garbage', key, now)).toBeUndefined();
  });
});
