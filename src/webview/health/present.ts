// Words for the health view: times (absolute, with the zone named, and the relative age that refreshes each
// minute), the status line, the cells. One wording for times (core/text/time.ts), as everywhere else.
import { formatDateTime, formatRelative, formatStamp } from '../../core/text/time';
import type { Loadable } from '../shared/loadable';
import type { HealthViewData, RoutineRun } from './protocol';
import { RUN_LABEL } from './model';

export interface TimeText {
  /** "2026-11-22 01:00 · 1 d 11 h ago" (the zone is named in the column header and the status line). */
  text: string;
  /** "Sun 22 Nov 2026, 01:00 Europe/Berlin": the tooltip names the zone too. */
  title: string;
}

const stamps = new Map<string, { stamp: string; full: string }>();

/** Intl's formatToParts dominates a redraw (a 14-day strip of 60 routines is 840 times); scheduled runs share their
 * times, so the words for an instant are kept (bounded: cleared past 20,000 instants). */
function absolute(epoch: number, zone: string): { stamp: string; full: string } {
  const key = `${epoch}|${zone}`;
  let hit = stamps.get(key);
  if (!hit) {
    if (stamps.size >= 20_000) stamps.clear();
    hit = { stamp: formatStamp(epoch, zone), full: `${formatDateTime(epoch, zone)} ${zone}` };
    stamps.set(key, hit);
  }
  return hit;
}

export function timeText(epoch: number | null, now: number, zone: string, none: string): TimeText {
  if (epoch === null) return { text: none, title: none };
  const a = absolute(epoch, zone);
  return { text: `${a.stamp} · ${formatRelative(epoch, now)}`, title: a.full };
}

export interface StatusText {
  text: string;
  kind: 'info' | 'error';
  busy: boolean;
  retry: boolean;
}

export function statusText(data: Loadable<HealthViewData>, zone: string, guests: number, shown: number): StatusText {
  if (data.status === 'error') {
    return { text: `The backup health could not be loaded: ${data.error ?? 'no reason given'}`, kind: 'error', busy: false, retry: true };
  }
  if (data.value === null) return { text: 'Waiting for the extension…', kind: 'info', busy: true, retry: false };
  const busy = data.status === 'loading';
  const of = shown === guests ? `${guests} guest${guests === 1 ? '' : 's'}` : `${shown} of ${guests} guests`;
  const endpoints = data.value.endpoints.length;
  return { text: `${of} on ${endpoints} endpoint${endpoints === 1 ? '' : 's'}; times in ${zone}.${busy ? ' Refreshing…' : ''}`, kind: 'info', busy, retry: false };
}

/** "Failed run of Nightly on pve-a, Tue 24 Nov 2026, 02:00 Europe/Berlin": a run's accessible name and tooltip. */
export function runLabel(run: RoutineRun, routineName: string, zone: string): string {
  return `${RUN_LABEL[run.status]} run of ${routineName} on ${run.node}, ${absolute(run.scheduled, zone).full}`;
}
