// Maintenance windows as kured has them: days, a start and end time of day, a time zone; over midnight too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FieldError } from '../../../../src/apiserver/field-errors.js';
import {
  parseMaintenanceWindow,
  windowOpen,
  type MaintenanceWindow,
} from '../../../../src/restarts/batches/maintenance-window.js';

const at = (iso: string) => Date.parse(iso);
// 2026-12-07 is a Monday.
const NIGHTS: MaintenanceWindow = {
  days: ['mon'],
  startTime: '22:00',
  endTime: '04:00',
  timeZone: 'Europe/Berlin',
};

test('a window in a time zone: Berlin is UTC+1 in December', () => {
  const office: MaintenanceWindow = {
    days: ['mon', 'tue'],
    startTime: '09:00',
    endTime: '17:00',
    timeZone: 'Europe/Berlin',
  };
  assert.equal(windowOpen(office, at('2026-12-07T07:59:00Z')), false);
  assert.equal(windowOpen(office, at('2026-12-07T08:00:00Z')), true);
  assert.equal(windowOpen(office, at('2026-12-07T15:59:00Z')), true);
  assert.equal(windowOpen(office, at('2026-12-07T16:00:00Z')), false, 'the end is excluded');
  assert.equal(windowOpen(office, at('2026-12-09T10:00:00Z')), false, 'a Wednesday');
});

test('a window over midnight belongs to the day it starts on', () => {
  assert.equal(windowOpen(NIGHTS, at('2026-12-07T20:59:00Z')), false);
  assert.equal(windowOpen(NIGHTS, at('2026-12-07T21:00:00Z')), true, 'Monday 22:00 in Berlin');
  assert.equal(windowOpen(NIGHTS, at('2026-12-08T02:59:00Z')), true, 'Tuesday 03:59 in Berlin');
  assert.equal(windowOpen(NIGHTS, at('2026-12-08T03:00:00Z')), false);
  assert.equal(windowOpen(NIGHTS, at('2026-12-07T01:00:00Z')), false, 'Monday early: Sunday is not listed');
});

test('defaults (every day, UTC) and every bad field named', () => {
  const errors: FieldError[] = [];
  assert.deepEqual(parseMaintenanceWindow({ startTime: '01:00', endTime: '02:00' }, errors), {
    days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
    startTime: '01:00',
    endTime: '02:00',
    timeZone: 'UTC',
  });
  assert.equal(errors.length, 0);
  const bad = { days: ['monday'], startTime: '25:00', endTime: '2:00', timeZone: 'Mars/Base', every: 1 };
  assert.equal(parseMaintenanceWindow(bad, errors), undefined);
  assert.deepEqual(
    errors.map((e) => e.field),
    [
      'spec.maintenanceWindow.every',
      'spec.maintenanceWindow.days',
      'spec.maintenanceWindow.startTime',
      'spec.maintenanceWindow.endTime',
      'spec.maintenanceWindow.timeZone',
    ],
  );
});
