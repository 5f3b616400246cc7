// The one Server-Sent Events reader, for the bench and the notifications tests alike
// (services/notifications/test/harness.ts imports it; types in sse.d.mts): it reads the stream as a
// browser's EventSource does, keeps each event with the time it arrived, and tells waiters as events
// come in.
import http from 'node:http';

/**
 * Splits a text/event-stream into events: feed it chunks as they arrive, it calls `onEvent` with
 * `{ event, data, id }` for each complete block (comments skipped; `data` parsed as JSON).
 */
function eventStreamParser(onEvent) {
  let buffer = '';
  return (chunk) => {
    buffer += chunk;
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const fields = {};
      for (const line of block.split('\n')) {
        if (!line || line.startsWith(':')) continue;
        const i = line.indexOf(':');
        fields[line.slice(0, i)] = line.slice(i + 1).replace(/^ /, '');
      }
      if (fields.event || fields.data)
        onEvent({ event: fields.event ?? 'message', data: fields.data ? JSON.parse(fields.data) : undefined, id: fields.id });
    }
  };
}

/**
 * Opens `GET url` with Accept: text/event-stream; resolves once the response's head has arrived (a
 * non-200 answer too: its body is then in raw()). `clock` stamps each event's `at`
 * (performance.now() by default; a test comparing with Date.now() passes Date.now).
 */
export function openStream(url, headers = {}, { clock = () => performance.now() } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      let text = '';
      const events = [];
      const waiters = new Set();
      const parse = eventStreamParser((e) => events.push({ ...e, at: clock() }));
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
        parse(chunk);
        for (const w of waiters) w();
      });
      const ended = new Promise((done) => res.on('close', () => done()));
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        raw: () => text,
        ended,
        close: () => req.destroy(),
        /** The first event named `name` at index ≥ `from` that `match` accepts; rejects after `ms`. */
        next: (name, { ms = 10_000, from = 0, match = () => true } = {}) =>
          new Promise((found, fail) => {
            const look = () => {
              const hit = events.slice(from).find((e) => e.event === name && match(e));
              if (!hit) return;
              waiters.delete(look);
              clearTimeout(timer);
              found(hit);
            };
            const timer = setTimeout(() => {
              waiters.delete(look);
              fail(new Error(`no "${name}" event within ${ms} ms; got ${events.map((e) => e.event).join(', ') || 'nothing'}`));
            }, ms);
            waiters.add(look);
            look();
          }),
      });
    });
    req.on('error', reject);
  });
}
