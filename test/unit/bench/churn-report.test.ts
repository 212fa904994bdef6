import { test } from 'node:test';
import assert from 'node:assert/strict';
import { slopePerMinute } from '../../bench/churn-report.js';

test("the RSS slope is the samples' least-squares slope, per minute", () => {
  assert.equal(slopePerMinute([100, 101, 102, 103]), 6, '1 MiB every 10 s');
  assert.equal(slopePerMinute([256, 256, 256]), 0);
  assert.ok(Math.abs(slopePerMinute([284, 274, 274, 256, 256, 256, 256]) - -29.57) < 0.01);
  assert.ok(Number.isNaN(slopePerMinute([256])), 'one sample has no slope');
});
