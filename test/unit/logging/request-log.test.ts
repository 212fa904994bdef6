import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { requestLog } from '../../../src/logging/request-log.js';
import { requestContext } from '../../../src/apiserver/request-context.js';

async function serve(
  level: string,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  send: { path: string; headers?: Record<string, string> },
) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      cb();
    },
  });
  const log = requestLog(pino({ level }, sink));
  const server = createServer((req, res) => log(req, res, () => handler(req, res)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  const answer = await new Promise<{ status: number; auditId: unknown }>((resolve, reject) => {
    const req = request({ port, host: '127.0.0.1', path: send.path, headers: send.headers }, (res) => {
      res.resume().once('end', () => resolve({ status: res.statusCode!, auditId: res.headers['audit-id'] }));
    });
    req.once('error', reject).end();
  });
  await new Promise((r) => setImmediate(r));
  server.close();
  return { lines, answer };
}

test('one line per request with id, method, URL, what the guards learned, status and time; no headers', async () => {
  const { lines, answer } = await serve(
    'info',
    (req, res) => {
      const rc = requestContext(req);
      rc.user = { name: 'alice', groups: ['devs'] };
      rc.attributes = { verb: 'get', resource: 'nodes', name: 'n1', path: '/apis/g/v1/nodes/n1' };
      rc.decision = 'deny';
      res.statusCode = 403;
      res.end('{}');
    },
    { path: '/apis/g/v1/nodes/n1?x=1', headers: { 'Audit-Id': 'abc-123', Authorization: 'Bearer secret' } },
  );
  assert.equal(answer.status, 403);
  assert.equal(answer.auditId, 'abc-123');
  assert.equal(lines.length, 1);
  const line = lines[0]!;
  assert.equal(line.level, 40); // warn for 4xx
  assert.equal(line.msg, 'request completed');
  assert.deepEqual(line.req, { id: 'abc-123', method: 'GET', url: '/apis/g/v1/nodes/n1?x=1' });
  assert.deepEqual(line.res, { statusCode: 403 });
  assert.equal(line.user, 'alice');
  assert.equal(line.verb, 'get');
  assert.equal(line.resource, 'nodes');
  assert.equal(line.name, 'n1');
  assert.equal(line.decision, 'deny');
  assert.equal(typeof line.responseTime, 'number');
  assert.doesNotMatch(JSON.stringify(line), /secret/);
});

test('an invalid Audit-Id is replaced by a fresh id; health probes are not logged; levels filter', async () => {
  const ok = (_req: IncomingMessage, res: ServerResponse) => res.end('ok');
  const fresh = await serve('info', ok, { path: '/apis', headers: { 'Audit-Id': 'bad id with spaces' } });
  assert.match(String(fresh.answer.auditId), /^[0-9a-f-]{36}$/);
  assert.equal((fresh.lines[0]!.req as { id: string }).id, fresh.answer.auditId);
  assert.equal(fresh.lines[0]!.level, 30);
  assert.equal((await serve('info', ok, { path: '/readyz?verbose' })).lines.length, 0);
  assert.equal((await serve('warn', ok, { path: '/apis' })).lines.length, 0);
  const failed = await serve(
    'warn',
    (_req, res) => {
      res.statusCode = 500;
      res.end();
    },
    { path: '/apis' },
  );
  assert.equal(failed.lines[0]!.level, 50);
});
