// A Server-Sent Events reader for the bench, as a browser's EventSource reads the notifications
// stream (a plain-JS twin of services/notifications/test/harness.ts openStream): each event is kept
// with the time it arrived (performance.now()), and waiters are told as events come in.
import http from 'node:http';

/** Opens `GET url` with Accept: text/event-stream; resolves once the response's head has arrived. */
export function openStream(url, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      let buffer = '';
      const events = [];
      const waiters = new Set();
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        const at = performance.now();
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
            events.push({ event: fields.event ?? 'message', data: fields.data ? JSON.parse(fields.data) : undefined, at });
        }
        for (const w of waiters) w();
      });
      resolve({
        status: res.statusCode ?? 0,
        events,
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
