// A city from real data: a GBFS station list (station_information.json, optionally
// station_status.json for bikes on hand) and trip files in the public Citi Bike / Divvy format
// (ride_id, started_at, start_station_id, end_station_id, ...; the pre-2021 Citi Bike columns
// "starttime", "start station id", "end station id" are read too). Each station's pickups and
// dropoffs per hour are the trips that started and ended there, per weekday or weekend day seen.
import { createReadStream, statSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse';
import { z } from 'zod';
import { isoTime, PackError } from '../../../../runtime/sdk.js';
import { type City, citySchema, MAX_STATIONS, PROFILE_HOURS } from './city.js';

const gbfsInformation = z.object({
  data: z.object({
    stations: z
      .array(
        z.object({
          station_id: z.union([z.string(), z.number()]).transform(String),
          name: z.string().default(''),
          lat: z.number().min(-90).max(90),
          lon: z.number().min(-180).max(180),
          capacity: z.number().int().min(1).max(1000).optional(),
        }),
      )
      .min(2)
      .max(MAX_STATIONS),
  }),
});

const gbfsStatus = z.object({
  data: z.object({
    stations: z.array(
      z.object({
        station_id: z.union([z.string(), z.number()]).transform(String),
        num_bikes_available: z.number().int().min(0),
      }),
    ),
  }),
});

/** Docks assumed where the station list gives none. */
const DEFAULT_CAPACITY = 20;

export interface ImportReport {
  city: City;
  trips: number;
  /** Trips left out: a station not in the list, or a time that does not parse. */
  skipped: number;
  weekdays: number;
  weekendDays: number;
  firstDay?: string;
  lastDay?: string;
  defaultedCapacity: number;
}

function invalid(file: string, message: string, path?: string): never {
  throw new PackError('TW_ERR_VALIDATION', 400, `${file}: ${message}`, path);
}

export function stationsFromGbfs(file: string, raw: unknown, status?: unknown) {
  const parsed = gbfsInformation.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    invalid(
      file,
      `not a GBFS station_information feed: ${issue.path.join('.')}: ${issue.message}`,
      issue.path.join('.'),
    );
  }
  const bikesById = new Map<string, number>();
  if (status !== undefined) {
    const s = gbfsStatus.safeParse(status);
    if (!s.success) invalid('station_status', `not a GBFS station_status feed: ${s.error.issues[0].message}`);
    for (const st of s.data.data.stations) bikesById.set(st.station_id, st.num_bikes_available);
  }
  const stations = parsed.data.data.stations;
  // km on a local plane from the south-west corner: fine at a city's scale. (A loop, not
  // Math.min(...list): spreading a list of 200k stations overflows the stack.)
  let lat0 = Number.POSITIVE_INFINITY;
  let lon0 = Number.POSITIVE_INFINITY;
  for (const s of stations) {
    lat0 = Math.min(lat0, s.lat);
    lon0 = Math.min(lon0, s.lon);
  }
  const kmPerLon = 111.32 * Math.cos((lat0 * Math.PI) / 180);
  return stations.map((s) => {
    const capacity = s.capacity ?? DEFAULT_CAPACITY;
    return {
      id: s.station_id,
      name: s.name,
      x: Math.round((s.lon - lon0) * kmPerLon * 1000) / 1000,
      y: Math.round((s.lat - lat0) * 110.574 * 1000) / 1000,
      capacity,
      bikes: Math.min(capacity, bikesById.get(s.station_id) ?? Math.round(capacity / 2)),
      defaulted: s.capacity === undefined,
    };
  });
}

/**
 * Day index since 1970-01-01 and hour from "YYYY-MM-DD HH:MM[:SS]" (or ISO with T, or M/D/YYYY H:MM). Local time as
 * written.
 */
export function tripTime(text: string): { day: number; hour: number } | undefined {
  let m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):/.exec(text);
  if (m) return { day: Date.UTC(+m[1], +m[2] - 1, +m[3]) / 86_400_000, hour: +m[4] };
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):/.exec(text);
  if (m) return { day: Date.UTC(+m[3], +m[1] - 1, +m[2]) / 86_400_000, hour: +m[4] };
  return undefined;
}

/** A time that has the shape of one but cannot be (hour 24 or more) is a broken file, not a row to skip. */
function checkedTripTime(file: string, row: number, field: string, text: string) {
  const t = tripTime(text);
  if (t && t.hour > 23) invalid(file, `row ${row}, ${field}: hour ${t.hour} in '${text}' is not 0-23`, field);
  return t;
}

/** A trip file that is not there is named in one line, before any parsing starts. */
function checkReadable(file: string): void {
  try {
    if (!statSync(file).isFile()) invalid(file, 'not a file');
  } catch (err) {
    if (err instanceof PackError) throw err;
    invalid(file, `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** 1970-01-01 was a Thursday: days 5 and 6 of the Monday-based week are the weekend. */
const isWeekend = (day: number) => (day + 3) % 7 >= 5;

const COLUMNS = {
  start: ['started_at', 'starttime', 'start_time'],
  from: ['start_station_id', 'start station id'],
  to: ['end_station_id', 'end station id'],
  end: ['ended_at', 'stoptime', 'end_time'],
};

export async function importCity(options: {
  systemId: string;
  name: string;
  stationsFile: string;
  stations: unknown;
  status?: unknown;
  tripFiles: string[];
}): Promise<ImportReport> {
  const stations = stationsFromGbfs(options.stationsFile, options.stations, options.status);
  const index = new Map(stations.map((s, i) => [s.id, i]));
  const pickups = stations.map(() => new Array<number>(PROFILE_HOURS).fill(0));
  const dropoffs = stations.map(() => new Array<number>(PROFILE_HOURS).fill(0));
  const days = new Set<number>();
  let trips = 0;
  let skipped = 0;
  for (const file of options.tripFiles) checkReadable(file);
  for (const file of options.tripFiles) {
    let line = 1; // the header
    const parser = createReadStream(file).pipe(
      parseCsv({
        bom: true,
        columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
        skip_empty_lines: true,
        relax_column_count: true,
      }),
    );
    let cols: { start: string; from: string; to: string; end?: string } | undefined;
    for await (const row of parser as AsyncIterable<Record<string, string>>) {
      line++;
      if (!cols) {
        const pick = (names: string[]) => names.find((n) => n in row);
        const [start, from, to, end] = [pick(COLUMNS.start), pick(COLUMNS.from), pick(COLUMNS.to), pick(COLUMNS.end)];
        if (!start || !from || !to)
          invalid(
            file,
            `not a trip file: needs columns ${COLUMNS.start[0]}, ${COLUMNS.from[0]} and ${COLUMNS.to[0]} (Citi Bike / Divvy format)`,
          );
        cols = { start, from, to, ...(end ? { end } : {}) };
      }
      const started = checkedTripTime(file, line, cols.start, row[cols.start] ?? '');
      const ended = cols.end ? checkedTripTime(file, line, cols.end, row[cols.end] ?? '') : started;
      const a = index.get((row[cols.from] ?? '').trim());
      const b = index.get((row[cols.to] ?? '').trim());
      if (!started || !ended || a === undefined || b === undefined) {
        skipped++;
        continue;
      }
      trips++;
      days.add(started.day);
      pickups[a][(isWeekend(started.day) ? 24 : 0) + started.hour]++;
      dropoffs[b][(isWeekend(ended.day) ? 24 : 0) + ended.hour]++;
    }
  }
  if (trips === 0)
    invalid(
      options.tripFiles.join(', '),
      `no trip matched a station of ${options.stationsFile} (${skipped} rows skipped)`,
    );
  const sorted = [...days].sort((x, y) => x - y);
  const weekendDays = sorted.filter(isWeekend).length;
  const weekdays = sorted.length - weekendDays;
  // Per hour of a weekday / weekend day: counts over the days of that kind the files cover.
  const rate = (counts: number[]) =>
    counts.map((c, h) => Math.round((c / Math.max(1, h < 24 ? weekdays : weekendDays)) * 100) / 100);
  const parsedCity = citySchema.safeParse({
    systemId: options.systemId,
    name: options.name,
    stations: stations.map(({ defaulted: _d, ...s }, i) => ({
      ...s,
      pickupsPerHour: rate(pickups[i]),
      dropoffsPerHour: rate(dropoffs[i]),
    })),
  });
  if (!parsedCity.success) {
    const issue = parsedCity.error.issues[0];
    invalid(options.stationsFile, `${issue.path.join('.')}: ${issue.message}`, issue.path.join('.'));
  }
  const city = parsedCity.data;
  return {
    city,
    trips,
    skipped,
    weekdays,
    weekendDays,
    ...(sorted.length > 0
      ? {
          firstDay: isoTime(sorted[0] * 86_400_000).slice(0, 10),
          lastDay: isoTime(sorted[sorted.length - 1] * 86_400_000).slice(0, 10),
        }
      : {}),
    defaultedCapacity: stations.filter((s) => s.defaulted).length,
  };
}
