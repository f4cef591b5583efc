import { describe, expect, it } from 'vitest';
import { InvalidSimOptionsError } from '../errors.js';
import { DEFAULT_TRACK, Track, type TrackDefinition } from './track.js';

describe('Track', () => {
  const track = new Track();

  it('samples the default circuit every metre as a closed loop starting at the origin', () => {
    expect(track.name).toBe('lakestream-ring');
    expect(track.length).toBe(5412);
    expect(track.samples).toBe(5412);
    expect([track.x[0], track.y[0]]).toEqual([0, 0]);
    const n = track.samples;
    let minGap = Infinity;
    let maxGap = 0;
    let minHeading = Infinity;
    let maxHeading = -Infinity;
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % n; // includes the wrap from the last sample to the first
      const gap = Math.hypot((track.x[j] as number) - (track.x[i] as number), (track.y[j] as number) - (track.y[i] as number));
      minGap = Math.min(minGap, gap);
      maxGap = Math.max(maxGap, gap);
      minHeading = Math.min(minHeading, track.heading[i] as number);
      maxHeading = Math.max(maxHeading, track.heading[i] as number);
    }
    expect(minGap).toBeGreaterThan(0.98 * track.step);
    expect(maxGap).toBeLessThanOrEqual(1.0001 * track.step);
    expect(minHeading).toBeGreaterThanOrEqual(0);
    expect(maxHeading).toBeLessThan(360);
    // One full turn of heading over the lap: the curvature integrates to ±2π.
    const turning = track.curvature.reduce((sum, k) => sum + k * track.step, 0);
    expect(Math.abs(Math.abs(turning) - 2 * Math.PI)).toBeLessThan(1e-6);
  });

  it('has plausible corners, a speed profile, DRS zones on straights and a ~95 s reference lap', () => {
    const limits = [...track.speedLimit];
    expect(Math.min(...limits) * 3.6).toBeGreaterThan(50);
    expect(Math.min(...limits) * 3.6).toBeLessThan(100);
    expect(Math.max(...limits)).toBeLessThanOrEqual(110);
    expect(track.referenceLapTimeS).toBeGreaterThan(85);
    expect(track.referenceLapTimeS).toBeLessThan(105);
    expect(track.drsZones.length).toBeGreaterThanOrEqual(1);
    for (const zone of track.drsZones) {
      let worst = 0;
      for (let s = zone.startM; Math.abs(s - zone.endM) >= 1; s = (s + 1) % track.length) {
        worst = Math.max(worst, Math.abs(track.curvature[track.index(s)] as number));
      }
      expect(worst).toBeLessThan(0.0025); // on a straight
    }
    expect(track.sector(0)).toBe(1);
    expect(track.sector(track.length / 2)).toBe(2);
    expect(track.sector(track.length - 1)).toBe(3);
    // Lat/lon around the origin point, a few km across at most.
    expect(track.lat[0]).toBe(DEFAULT_TRACK.originLatDeg);
    expect(Math.abs((track.lat[2000] as number) - DEFAULT_TRACK.originLatDeg)).toBeLessThan(0.05);
  });

  it('scales any loop of corners to the requested length', () => {
    const square: TrackDefinition = {
      name: 'square',
      lengthM: 3000,
      originLatDeg: 0,
      originLonDeg: 0,
      corners: [[0, 0, 0], [10, 0, 2], [10, 10, 2], [0, 10, 2], [-10, 10, 2], [-10, 0, 2]],
    };
    const t = new Track(square);
    expect(t.length).toBe(3000);
    expect(t.samples).toBe(3000);
    expect(t.drsZones.length).toBeGreaterThanOrEqual(1);
  });

  it('refuses impossible definitions with typed errors', () => {
    const bad = (d: Partial<TrackDefinition>) => () => new Track({ ...DEFAULT_TRACK, ...d });
    expect(bad({ lengthM: 500 })).toThrow(InvalidSimOptionsError);
    expect(bad({ name: 'Not A Slug' })).toThrow(/track.name/);
    expect(bad({ corners: [[0, 0, 0], [100, 0, 500], [100, 100, 0]] })).toThrow(/does not fit/);
  });
});
