// Which city a scenario runs: `{"synthetic": {"stations": 600, "seed": 7}}`, or `{"file": "sample"}`
// for scenarios/rebalance/cities/sample.json (what `tickwork rebalance import` writes). Read once
// per worker and cached; a file is validated like any other input.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PACKAGE_ROOT } from '../../../../runtime/sdk.js';
import { type City, citySchema, MAX_STATIONS } from './city.js';
import { CityModel } from './city-model.js';
import { syntheticCity } from './synthetic-city.js';

export const citySourceSchema = z.union([
  z.strictObject({
    synthetic: z.strictObject({
      stations: z.number().int().min(2).max(MAX_STATIONS),
      seed: z.number().int(),
      sizeKm: z.number().positive().max(200).optional(),
      ridersPerHour: z.number().positive().max(1000).optional(),
    }),
  }),
  z.strictObject({
    file: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a city name: lower-case letters, digits, - and _'),
  }),
]);

export type CitySource = z.infer<typeof citySourceSchema>;

export const CITY_DIR = path.join(PACKAGE_ROOT, 'scenarios', 'rebalance', 'cities');

export function loadCity(source: CitySource): City {
  if ('synthetic' in source) return syntheticCity(source.synthetic);
  const file = path.join(CITY_DIR, `${source.file}.json`);
  return citySchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

const models = new Map<string, CityModel>();
/** Every station step asks: the same policy object as last time skips building a key. */
let last: { source: CitySource; districtSide: number; model: CityModel } | undefined;

/** The city model for a source and district grid, built once per worker. */
export function cityModel(source: CitySource, districtSide: number): CityModel {
  if (last && last.source === source && last.districtSide === districtSide) return last.model;
  const key = JSON.stringify([source, districtSide]);
  let model = models.get(key);
  if (!model) {
    model = new CityModel(loadCity(source), districtSide);
    models.set(key, model);
    // A long-lived worker serves many runs: keep the few cities in use, not every one ever run.
    if (models.size > 8) models.delete(models.keys().next().value!);
  }
  last = { source, districtSide, model };
  return model;
}
