// The read table as Nest serves it: one generated controller hands each route its service and the request's
// decoded parameters, query and headers, on every form of the path Express routes, and the fast path's lookup of
// the canonical form finds the same answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import 'reflect-metadata';
import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express/adapters/express-adapter.js';
import { ReadRoutes, ReadRoutesModule } from '../../../src/apiserver/read-routes.module.js';
import { readRoute, type ApiRequest } from '../../../src/apiserver/read-routes.js';
import { StatusError, notFound } from '../../../src/apiserver/status.js';
import { StatusFilter } from '../../../src/apiserver/status.filter.js';

@Injectable()
class Things {
  readonly name = 'things';

  describe(req: ApiRequest) {
    const { params, query, headers } = req;
    if (params.name === 'missing') throw new StatusError(notFound());
    const body = JSON.stringify({ from: this.name, params, query, accept: headers.accept });
    return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body };
  }
}

@Module({ providers: [Things], exports: [Things] })
class ThingsModule {}

const ROUTES = [
  readRoute({ path: 'apis/:group/things', service: Things, answer: (t, req) => t.describe(req) }),
  readRoute({ path: 'apis/:group/things/:name', service: Things, answer: (t, req) => t.describe(req) }),
];

@Module({
  imports: [ReadRoutesModule.forRoutes(ROUTES), ThingsModule],
  providers: [{ provide: APP_FILTER, useClass: StatusFilter }],
})
class AppModule {}

let app: INestApplication;
let base: string;

before(async () => {
  app = await NestFactory.create(AppModule, new ExpressAdapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  base = await app.getUrl();
});

after(() => app?.close());

async function get(path: string) {
  const res = await fetch(`${base}${path}`, { headers: { Accept: 'application/json;as=Table' } });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

test('each route answers through Nest with its service, decoded parameters, the query and the headers', async () => {
  const res = await get('/apis/g/things/a%2Db?limit=2&x=1&x=2');
  assert.equal(res.status, 200);
  assert.equal(res.type, 'application/json');
  assert.deepEqual(JSON.parse(res.body), {
    from: 'things',
    params: { group: 'g', name: 'a-b' },
    query: { limit: '2', x: ['1', '2'] },
    accept: 'application/json;as=Table',
  });
  assert.deepEqual(JSON.parse((await get('/apis/g/things/')).body).params, { group: 'g' });
});

test("an answer's error leaves as a Status", async () => {
  const res = await get('/apis/g/things/missing');
  assert.equal(res.status, 404);
  assert.equal(JSON.parse(res.body).reason, 'NotFound');
});

test('the canonical form finds the same answer in the table', async () => {
  const route = app.get(ReadRoutes).table.match('/apis/g/things/a-b');
  assert.ok(route);
  const reply = await route.answer({
    params: route.params,
    query: { limit: '2', x: ['1', '2'] } as unknown as ApiRequest['query'],
    headers: { accept: 'application/json;as=Table' },
  });
  assert.equal(reply.body, (await get('/apis/g/things/a%2Db?limit=2&x=1&x=2')).body);
  assert.equal(app.get(ReadRoutes).table.match('/apis/g/things/a-b/'), undefined);
});
