import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventRing } from '../../../../src/apiserver/watch/event-ring.js';
import type { WatchOptions } from '../../../../src/apiserver/watch/list-options.js';
import {
  MAX_PENDING,
  endAllWatches,
  openWatchCount,
  serveWatch,
  type WatchFeed,
} from '../../../../src/apiserver/watch/watch-stream.js';

interface Item {
  name: string;
  rv: string;
  color: string;
  pad?: string;
}

const OPTIONS: WatchOptions = {
  initialEvents: true,
  bookmarks: false,
  initialEventsEnd: false,
  timeoutMs: 60_000,
};

/** serveWatch behind a real HTTP server on loopback, and a client reading it. */
async function watchServer(feed: WatchFeed<Item>, options: Partial<WatchOptions> = {}) {
  const server: Server = createServer((_req, res) =>
    serveWatch(
      res,
      feed,
      { ...OPTIONS, ...options },
      {
        object: async (item) =>
          JSON.stringify({
            kind: 'Thing',
            metadata: { name: item.name, resourceVersion: item.rv },
            color: item.color,
            pad: item.pad,
          }),
        bookmark: (rv) => JSON.stringify({ kind: 'Thing', metadata: { resourceVersion: rv } }),
      },
      'application/json',
    ),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const res = await new Promise<IncomingMessage>((resolve) => get(`http://127.0.0.1:${port}/`, resolve));
  const events: {
    type: string;
    object: { metadata: { name?: string; resourceVersion?: string }; color?: string };
  }[] = [];
  let buffer = '';
  let ended = false;
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      events.push(JSON.parse(buffer.slice(0, nl)));
      buffer = buffer.slice(nl + 1);
    }
  });
  res.on('end', () => (ended = true));
  const until = async (ok: () => boolean) => {
    for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(ok(), JSON.stringify(events.map((e) => e.type)));
  };
  return {
    res,
    events,
    until,
    ended: () => ended,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
}

function feedOf(ring: EventRing<Item>, items: Map<string, Item>, color = 'red'): WatchFeed<Item> {
  return {
    ring,
    current: () => [...items.values()],
    matches: (i) => i.color === color,
    atVersion: (i, rv) => ({ ...i, rv }),
  };
}

test('the state, then changes under the selector: out of it is DELETED, into it ADDED; timeoutSeconds ends it', async () => {
  const ring = new EventRing<Item>(100, (i) => i.name);
  const items = new Map([
    ['a', { name: 'a', rv: '5', color: 'red' }],
    ['b', { name: 'b', rv: '6', color: 'blue' }],
  ]);
  for (const item of items.values()) ring.push('ADDED', item, item.rv); // the informer's list
  ring.reset(10);
  const w = await watchServer(feedOf(ring, items), { timeoutMs: 400 });
  await w.until(() => w.events.length === 1);
  ring.push('MODIFIED', { name: 'b', rv: '11', color: 'blue' }, '11'); // not selected: nothing
  ring.push('MODIFIED', { name: 'a', rv: '12', color: 'blue' }, '12'); // leaves the selection
  ring.push('MODIFIED', { name: 'b', rv: '13', color: 'red' }, '13'); // enters it
  ring.push('MODIFIED', { name: 'b', rv: '14', color: 'red' }, '14');
  await w.until(() => w.ended());
  assert.deepEqual(
    w.events.map(
      (e) => `${e.type} ${e.object.metadata.name} ${e.object.metadata.resourceVersion} ${e.object.color}`,
    ),
    ['ADDED a 5 red', 'DELETED a 12 red', 'ADDED b 13 red', 'MODIFIED b 14 red'],
  );
  await w.close();
});

test('a resumed watch replays the ring after its version; too old a version is one ERROR 410 and the end', async () => {
  const ring = new EventRing<Item>(100, (i) => i.name);
  ring.reset(10);
  const items = new Map([['a', { name: 'a', rv: '12', color: 'red' }]]);
  ring.push('ADDED', { name: 'a', rv: '11', color: 'red' }, '11');
  ring.push('MODIFIED', { name: 'a', rv: '12', color: 'red' }, '12');
  const resumed = await watchServer(feedOf(ring, items), { initialEvents: false, after: 11, timeoutMs: 200 });
  await resumed.until(() => resumed.ended());
  assert.deepEqual(
    resumed.events.map((e) => e.type),
    ['MODIFIED'],
  );
  await resumed.close();

  const expired = await watchServer(feedOf(ring, items), { initialEvents: false, after: 3 });
  await expired.until(() => expired.ended());
  assert.equal(expired.events.length, 1);
  assert.deepEqual(expired.events[0], {
    type: 'ERROR',
    object: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'too old resource version: 3 (10)',
      reason: 'Expired',
      code: 410,
    },
  });
  await expired.close();
});

test('a resumed watch is told DELETED of an object that stopped matching after its version, as the cacher tells it', async () => {
  const ring = new EventRing<Item>(100, (i) => i.name);
  ring.push('ADDED', { name: 'a', rv: '5', color: 'red' }, '5');
  ring.push('ADDED', { name: 'b', rv: '6', color: 'blue' }, '6');
  ring.reset(10);
  ring.push('MODIFIED', { name: 'a', rv: '12', color: 'blue' }, '12'); // a leaves the selection
  ring.push('MODIFIED', { name: 'b', rv: '13', color: 'green' }, '13'); // b was never in it
  const items = new Map([
    ['a', { name: 'a', rv: '12', color: 'blue' }],
    ['b', { name: 'b', rv: '13', color: 'green' }],
  ]);
  const w = await watchServer(feedOf(ring, items), { initialEvents: false, after: 10, timeoutMs: 200 });
  await w.until(() => w.ended());
  assert.deepEqual(
    w.events.map(
      (e) => `${e.type} ${e.object.metadata.name} ${e.object.metadata.resourceVersion} ${e.object.color}`,
    ),
    ['DELETED a 12 red'],
    'the content it last matched with, at the change’s resourceVersion',
  );
  await w.close();
});

test('a client that stops reading is ended once MAX_PENDING events wait for it; memory stays bounded', async () => {
  const ring = new EventRing<Item>(10, (i) => i.name);
  ring.reset(1);
  const items = new Map<string, Item>();
  const w = await watchServer(feedOf(ring, items));
  w.res.pause();
  const pad = 'x'.repeat(16 * 1024);
  const pushed = MAX_PENDING * 3;
  // Changes arrive over time, as from an informer: the watcher writes what the socket takes, then queues.
  for (let i = 0; i < pushed; i++) {
    ring.push('ADDED', { name: `n${i}`, rv: String(2 + i), color: 'red', pad }, String(2 + i));
    if (i % 50 === 0) await new Promise((r) => setImmediate(r));
  }
  w.res.resume();
  await w.until(() => w.ended());
  assert.ok(w.events.length < pushed, `${w.events.length} of ${pushed} delivered before the end`);
  assert.ok(w.events.length > 0);
  await w.close();
});

test('endAllWatches ends every open watch (server shutdown)', async () => {
  const ring = new EventRing<Item>(10, (i) => i.name);
  const w = await watchServer(feedOf(ring, new Map()), { initialEvents: false });
  await w.until(() => openWatchCount() === 1);
  endAllWatches();
  await w.until(() => w.ended());
  assert.equal(openWatchCount(), 0);
  await w.close();
});
