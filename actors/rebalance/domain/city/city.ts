// A bike-share city as the simulation and the policy service see it: stations with positions,
// docks and bikes, and each station's expected riders per hour (pickups, and dropoffs that say
// where riders go), on weekdays and at weekends. A synthetic city and an imported one (Citi Bike
// trip files and a GBFS station list, city-import.ts) are the same data, so one model runs both.
import { z } from 'zod';

/** Hours in a demand profile: 0-23 a weekday's hours, 24-47 a weekend day's. */
export const PROFILE_HOURS = 48;
/** The most stations one system may have (the optimiser's and the policy API's limit). */
export const MAX_STATIONS = 20_000;

export const cityStationSchema = z.strictObject({
  id: z.string().min(1).max(64),
  name: z.string().max(200),
  /** km east and north of the city's south-west corner. */
  x: z.number().finite(),
  y: z.number().finite(),
  capacity: z.number().int().min(1).max(1000),
  bikes: z.number().int().min(0),
  /** Riders per hour wanting a bike here (PROFILE_HOURS entries). */
  pickupsPerHour: z.array(z.number().min(0).max(10_000)).length(PROFILE_HOURS),
  /** Riders per hour ending their trip here. */
  dropoffsPerHour: z.array(z.number().min(0).max(10_000)).length(PROFILE_HOURS),
});

export const citySchema = z
  .strictObject({
    systemId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _'),
    name: z.string().max(200),
    stations: z.array(cityStationSchema).min(2).max(MAX_STATIONS),
  })
  .refine((c) => c.stations.every((s) => s.bikes <= s.capacity), 'a station holds more bikes than docks');

export type City = z.infer<typeof citySchema>;
export type CityStation = z.infer<typeof cityStationSchema>;

const DAY_MS = 86_400_000;

/** The profile hour of sim time `ms`; sim time 0 is a Monday 00:00, so days 5 and 6 are the weekend. */
export function profileHour(ms: number): number {
  const day = Math.floor(ms / DAY_MS) % 7;
  const hour = Math.floor((ms % DAY_MS) / 3_600_000);
  return (day >= 5 ? 24 : 0) + hour;
}
