// When a batch may start nodes: days of the week and a time of day in a time zone, as kured's --reboot-days,
// --start-time, --end-time and --time-zone (https://kured.dev/docs/configuration/). A window whose end is before its
// start runs over midnight, and belongs to the day it starts on. Restarts already running are never interrupted.
import * as field from '../../apiserver/field-errors.js';

export const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const FIELDS = new Set(['days', 'startTime', 'endTime', 'timeZone']);

export interface MaintenanceWindow {
  days: string[];
  /** HH:MM, 24-hour. */
  startTime: string;
  endTime: string;
  /** An IANA time zone, e.g. Europe/Berlin. */
  timeZone: string;
}

const minutes = (time: string) => {
  const [, h, m] = TIME.exec(time)!;
  return Number(h) * 60 + Number(m);
};

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** spec.maintenanceWindow decoded, its problems added to errors; undefined when absent or invalid. */
export function parseMaintenanceWindow(
  value: unknown,
  errors: field.FieldError[],
): MaintenanceWindow | undefined {
  const path = 'spec.maintenanceWindow';
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    errors.push(
      field.invalid(
        path,
        value,
        'must be an object with startTime, endTime, and optionally days and timeZone',
      ),
    );
    return undefined;
  }
  const w = value as Record<string, unknown>;
  const before = errors.length;
  for (const key of Object.keys(w).filter((k) => !FIELDS.has(k))) {
    errors.push(field.invalid(`${path}.${key}`, w[key], 'unknown field'));
  }
  const days = w['days'] ?? [...DAYS];
  if (!Array.isArray(days) || days.length === 0 || days.some((d) => !DAYS.includes(d as never))) {
    errors.push(field.invalid(`${path}.days`, days, `must be a non-empty list of ${DAYS.join(', ')}`));
  }
  for (const key of ['startTime', 'endTime']) {
    if (w[key] === undefined) errors.push(field.required(`${path}.${key}`, 'a 24-hour time HH:MM'));
    else if (typeof w[key] !== 'string' || !TIME.test(w[key])) {
      errors.push(field.invalid(`${path}.${key}`, w[key], 'must be a 24-hour time HH:MM'));
    }
  }
  const timeZone = w['timeZone'] ?? 'UTC';
  if (typeof timeZone !== 'string' || !validTimeZone(timeZone)) {
    errors.push(
      field.invalid(`${path}.timeZone`, timeZone, 'must be an IANA time zone such as Europe/Berlin'),
    );
  }
  if (errors.length > before) return undefined;
  return {
    days: days as string[],
    startTime: w['startTime'] as string,
    endTime: w['endTime'] as string,
    timeZone: timeZone as string,
  };
}

/** Whether the window is open at this instant. */
export function windowOpen(window: MaintenanceWindow, now: number): boolean {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: window.timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  const day = DAYS.indexOf(part('weekday').toLowerCase() as (typeof DAYS)[number]);
  const at = Number(part('hour')) * 60 + Number(part('minute'));
  const [start, end] = [minutes(window.startTime), minutes(window.endTime)];
  const on = (d: number) => window.days.includes(DAYS[(d + 7) % 7]!);
  if (start < end) return on(day) && at >= start && at < end;
  // Over midnight: the evening of a listed day, or the early hours after one.
  return (on(day) && at >= start) || (on(day - 1) && at < end);
}

/** "mon,tue 22:00-04:00 Europe/Berlin". */
export const describeWindow = (w: MaintenanceWindow) =>
  `${w.days.join(',')} ${w.startTime}-${w.endTime} ${w.timeZone}`;
