import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, get, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeReply } from '../../../src/apiserver/reply.js';

/** A server answering every request with `reply`, and its response objects' write() sizes. */
async function serve(body: readonly Buffer[]) {
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
function fetchBody(port: number, pauseMs = 0): Promise<{ length: string | undefined; body: Buffer }> {
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
      res.on('end', () => resolve({ length: res.headers['content-length'], body: Buffer.concat(parts) }));
    }).on('error', reject);
  });
}

const chunks = Array.from({ length: 3000 }, (_, i) =>
  Buffer.from(`{"item":${i},"pad":"${'x'.repeat(i % 700)}"},`),
);
const whole = Buffer.concat(chunks);

test('kept chunks arrive whole and in order, with their Content-Length, in pieces of at most 64 KiB', async () => {
  const s = await serve(chunks);
  try {
    const { length, body } = await fetchBody(s.port);
    assert.equal(length, String(whole.length));
    assert.ok(body.equals(whole));
    assert.ok(s.writes.length > 1, 'more than one write');
    assert.ok(Math.max(...s.writes) <= 64 * 1024, `largest write ${Math.max(...s.writes)}`);
  } finally {
    await s.close();
  }
});

test('a slow reader gets the same bytes: the next piece waits for the socket', async () => {
  const s = await serve(chunks);
  try {
    assert.ok((await fetchBody(s.port, 200)).body.equals(whole));
  } finally {
    await s.close();
  }
});

test('one chunk, or none, is written as it is', async () => {
  for (const body of [[Buffer.from('{"a":1}')], []]) {
    const s = await serve(body);
    try {
      const got = await fetchBody(s.port);
      assert.equal(got.body.toString(), Buffer.concat(body).toString());
      assert.equal(got.length, String(Buffer.concat(body).length));
      if (body.length === 1) assert.equal(s.ended[0], body[0], 'the kept chunk itself, not a copy');
    } finally {
      await s.close();
    }
  }
});
