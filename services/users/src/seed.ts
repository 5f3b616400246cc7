import { DEMO_USERS, expectStatus, signInDemo } from '@agora/mesh/local/demo';

/** Local-run demo data, users' part: display names, bios and the follow graph. Idempotent (PATCH and follow are). */
const ingress = process.env.AGORA_INGRESS_URL;
if (!ingress) {
  console.error('users seed: AGORA_INGRESS_URL is required (run by `npm start`)');
  process.exit(78);
}
const ids = new Map<string, string>();
const sessions = new Map<string, Awaited<ReturnType<typeof signInDemo>>>();
for (const user of DEMO_USERS) {
  const api = await signInDemo(ingress, user.username);
  sessions.set(user.username, api);
  const me = await api<{ id: string }>('PATCH', '/api/v1/users/me', { displayName: user.displayName, bio: user.bio });
  expectStatus(`profile of ${user.username}`, me, 200);
  ids.set(user.username, me.body.id);
}
let follows = 0;
for (const user of DEMO_USERS) {
  for (const target of user.follows) {
    const res = await sessions.get(user.username)!('POST', `/api/v1/users/${ids.get(target)}/follow`);
    expectStatus(`${user.username} follows ${target}`, res, 200, 201, 204);
    follows += 1;
  }
}
console.log(`users seed: ${DEMO_USERS.length} profiles, ${follows} follows in place`);
