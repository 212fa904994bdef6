import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, get, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeReply } from '../../../src/apiserver/reply.js';
import { EncodedJson, putWhole, type EncodedBody } from '../../../src/apiserver/encoded-json.js';

/** A server answering every request with `body`, and its response objects' write() sizes. */
async function serve(body: EncodedBody) {
  const writes: number[] = [];
  const ended: unknown[] = [];
  const server = createServer((_req, res: ServerResponse) => {
    const write = res.write.bind(res) as (chunk: Buffer) => boolean;
    res.write = ((chunk: Buffer) => (writes.push(chunk.length), write(chunk))) as ServerResponse['write'];
    const end = res.end.bind(res) as (chunk?: Buffer) => ServerResponse;
    res.end = ((chunk?: Buffer) => (ended.push(chunk), end(chunk))) as ServerResponse['end'];
    writeReply(res, { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { port, writes, ended, close: () => new Promise((r) => server.close(r)) };
}

/** GETs the body, pausing `pauseMs` after the first bytes (a slow reader). */
function fetchBody(
  port: number,
  pauseMs = 0,
): Promise<{ length: string | undefined; chunked: boolean; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/' }, (res) => {
      const parts: Buffer[] = [];
      let paused = false;
      res.on('data', (c: Buffer) => {
        parts.push(c);
        if (pauseMs && !paused) {
          paused = true;
          res.pause();
          void sleep(pauseMs).then(() => res.resume());
        }
      });
      res.on('end', () =>
        resolve({
          length: res.headers['content-length'],
          chunked: res.headers['transfer-encoding'] === 'chunked',
          body: Buffer.concat(parts),
        }),
      );
      res.on('error', reject);
    }).on('error', reject);
  });
}

const items: Buffer[] = Array.from({ length: 3000 }, (_, i) =>
  Buffer.from(`{"item":${i},"pad":"${'x'.repeat(i % 700)}"}`),
);
const [head, tail] = [Buffer.from('{"items":['), Buffer.from(']}')];
const list = (of = items) => new EncodedJson([head, tail], of, putWhole);
const whole = (of = items) => Buffer.from(`{"items":[${of.join(',')}]}`);

test('a long encoded answer arrives whole and in order, chunked, in writes of 64 KiB', async () => {
  const s = await serve(list());
  try {
    const { length, chunked, body } = await fetchBody(s.port);
    assert.ok(body.equals(whole()));
    assert.deepEqual([length, chunked], [undefined, true]);
    assert.ok(s.writes.length > 1, 'more than one write');
    assert.ok(
      s.writes.every((n) => n === 64 * 1024),
      `every write a whole piece: ${[...new Set(s.writes)].join(', ')}`,
    );
  } finally {
    await s.close();
  }
});

test('a slow reader gets the same bytes: the next piece waits for the socket', async () => {
  const s = await serve(list());
  try {
    assert.ok((await fetchBody(s.port, 200)).body.equals(whole()));
  } finally {
    await s.close();
  }
});

test('an answer that fits in one piece is written at once, with its Content-Length', async () => {
  for (const of of [items.slice(0, 3), []]) {
    const s = await serve(list(of));
    try {
      const got = await fetchBody(s.port);
      assert.equal(got.body.toString(), whole(of).toString());
      assert.deepEqual([got.length, got.chunked], [String(whole(of).length), false]);
      assert.deepEqual(s.writes, [], 'no write before end');
    } finally {
      await s.close();
    }
  }
});

test('an item that cannot be encoded midway cuts the connection: the client never takes a cut list as whole', async () => {
  const failing = new EncodedJson([head, tail], items, putWhole, (item) => {
    if (item === items[2000]) return Promise.reject(new Error('cannot encode'));
    return item;
  });
  const s = await serve(failing);
  try {
    await assert.rejects(fetchBody(s.port), /aborted|ECONNRESET|socket hang up/);
  } finally {
    await s.close();
  }
});

test('pieces reused across answers never change an answer in flight: concurrent lists, stalled and aborted readers', async () => {
  // Each answer's items carry its own number, so a piece handed to another answer too early shows in the bytes. A
  // stalled reader's answer (24 MB) is larger than the kernel buffers of a loopback connection, so the server's
  // pieces wait in its own queue while the other answers go on.
  const stalled = (n: number) => n % 3 === 0;
  const of = (n: number) =>
    Array.from({ length: stalled(n) ? 100_000 : 3_000 }, (_, i) =>
      Buffer.from(`{"answer":${n},"item":${i},"pad":"${String(n % 10).repeat(200)}"}`),
    );
  const server = createServer((req, res) => {
    writeReply(res, { statusCode: 200, headers: {}, body: list(of(Number(req.url!.slice(1)))) });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const read = (n: number, abortAfter?: number) =>
    new Promise<Buffer | undefined>((resolve, reject) => {
      const req = get({ host: '127.0.0.1', port, path: `/${n}` }, (res) => {
        const parts: Buffer[] = [];
        let bytes = 0;
        res.on('data', (c: Buffer) => {
          parts.push(c);
          bytes += c.length;
          if (abortAfter !== undefined && bytes > abortAfter) return void (req.destroy(), resolve(undefined));
          if (stalled(n) && parts.length === 1) {
            res.pause();
            setTimeout(() => res.resume(), 400);
          }
        });
        res.on('end', () => resolve(Buffer.concat(parts)));
      });
      req.on('error', (err) => (abortAfter === undefined ? reject(err) : resolve(undefined)));
    });
  try {
    const aborted = (n: number) => n % 4 === 1;
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, n) => read(n, aborted(n) ? 100_000 : undefined)),
    );
    answers.forEach((body, n) => {
      if (!aborted(n)) assert.ok(body?.equals(whole(of(n))), `answer ${n} came through unchanged`);
    });
  } finally {
    await new Promise((r) => server.close(r));
  }
});
