import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anonymousUser, withAuthenticatedGroup, type UserInfo } from '../../../src/auth/user-info.js';

test('system:authenticated is added as AuthenticatedGroupAdder adds it', () => {
  const rows: [UserInfo, string[]][] = [
    [{ name: 'alice', groups: [] }, ['system:authenticated']],
    [{ name: 'alice', groups: ['devs'] }, ['devs', 'system:authenticated']],
    [{ name: 'alice', groups: ['system:authenticated', 'devs'] }, ['system:authenticated', 'devs']],
    [{ name: 'alice', groups: ['system:unauthenticated'] }, ['system:unauthenticated']],
    [{ name: 'system:anonymous', groups: ['system:unauthenticated'] }, ['system:unauthenticated']],
    [{ name: 'system:anonymous', groups: ['devs'] }, ['devs']],
  ];
  for (const [user, groups] of rows)
    assert.deepEqual(withAuthenticatedGroup(user).groups, groups, JSON.stringify(user));
  const user: UserInfo = { name: 'a', uid: 'u', groups: ['g'], extra: { k: ['v'] } };
  assert.deepEqual(withAuthenticatedGroup(user), { ...user, groups: ['g', 'system:authenticated'] });
  assert.deepEqual(user.groups, ['g']);
});

test('the anonymous user', () => {
  assert.deepEqual(anonymousUser(), {
    name: 'system:anonymous',
    groups: ['system:unauthenticated'],
    extra: {},
  });
});
