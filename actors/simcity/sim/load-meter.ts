// Offered load on one API node in request units per sim minute: this minute's count plus the
// part of last minute's that still falls inside a sliding one-minute window.
import { MINUTE_MS } from './layout.js';

export interface LoadMeterState {
  minute: number;
  thisMinute: number;
  lastMinute: number;
}

export function newLoadMeter(): LoadMeterState {
  return { minute: 0, thisMinute: 0, lastMinute: 0 };
}

export function addLoad(meter: LoadMeterState, units: number, nowMs: number): void {
  roll(meter, nowMs);
  meter.thisMinute += units;
}

export function loadPerMin(meter: LoadMeterState, nowMs: number): number {
  roll(meter, nowMs);
  const elapsed = (nowMs % MINUTE_MS) / MINUTE_MS;
  return meter.thisMinute + meter.lastMinute * (1 - elapsed);
}

function roll(meter: LoadMeterState, nowMs: number): void {
  const minute = Math.floor(nowMs / MINUTE_MS);
  if (minute === meter.minute) return;
  meter.lastMinute = minute === meter.minute + 1 ? meter.thisMinute : 0;
  meter.thisMinute = 0;
  meter.minute = minute;
}
