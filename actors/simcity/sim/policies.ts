// SimCity's live-adjustable policies with their defaults in one place, and their schema for the
// edges (scenario files, HTTP policy bodies). Rates are city-wide; each says its time unit.
import { policyReader } from '../../../runtime/sdk.js';
import { z } from 'zod';

export const SIMCITY_POLICY_DEFAULTS = {
  /** New citizen sessions per sim second (Poisson arrivals, city-wide): 0.3 is about 1 API call per second. */
  customerSpawnRate: 0.3,
  /** Vendors joining the directory per sim minute, up to `vendors`. */
  vendorSpawnRate: 0.1,
  /** Cap on citizens in an interactive session (searching and booking), split evenly over partitions. */
  maxConcurrentAgents: 50,
  /** Chance a citizen with a confirmed booking asks to move it. */
  rescheduleChance: 0.1,
  /** Chance a citizen with a confirmed booking cancels it. */
  cancelChance: 0.05,
  /** A citizen's think time between actions is 1..5 times this (sim ms). */
  tickSpeedMs: 3000,
  /** Steps an agent may take in one session before it is cut off (a loop guard). */
  maxAgentSteps: 40,
  /** Size of the vendor directory (vendor actors exist from the start, dormant until they join). */
  vendors: 5000,
  /** Vendors open for business at the start. */
  initialVendors: 3000,
  /** Citizens living in the city from the start; each begins a session within the first sim day. */
  initialCitizens: 0,
  /** How far ahead citizens book, in sim hours. */
  bookingHorizonHours: 48,
  /** API capacity, requests per sim minute, city-wide (split evenly over the API nodes). */
  apiCapacityPerMin: 1200,
  /** Rate limit, request units per sim minute, city-wide. */
  rateLimitPerMin: 3000,
  /** Calls slower than this fail as timeouts (sim ms). */
  apiTimeoutMs: 10_000,
  /** Share of hot search results the cache holds when left alone. */
  cacheCeiling: 0.95,
  /** Time constant of cache refill by fleet traffic and the warmer (sim minutes). */
  cacheRefillMin: 10,
  /** Share of cached entries invalidated per sim minute by ordinary writes. */
  baseInvalidationRate: 0.01,
  /** Materialised-view refresh period (sim minutes). */
  mvRefreshEveryMin: 5,
  /** Mean vendor response time (sim minutes); each vendor's own mean is drawn around it. */
  vendorResponseMeanMin: 25,
  /** Booking requests a vendor queues before it turns new ones away. */
  vendorMaxPending: 20,
  /** Errors that happen for no modelled reason (share of calls). */
  baseErrorRate: 0,
};

export type SimCityPolicies = typeof SIMCITY_POLICY_DEFAULTS;

const rate = z.number().min(0).max(1000);
const chance = z.number().min(0).max(1);
const count = z.number().int().min(0).max(10_000_000);
// Actors are the memory a request can make grow: a million citizens is ~1 GB of heap with its
// checkpoints; vendors carry calendars, and ten million of them overflowed SQLite's 1 GB blob limit.
const agents = z.number().int().min(0).max(1_000_000);
const vendorCount = z.number().int().min(1).max(200_000);
const positive = z.number().positive().max(1e9);

/** Every policy optional; unknown names are rejected, so a typo is an error, not a no-op. */
export const simcityPoliciesSchema = z
  .strictObject({
    customerSpawnRate: rate,
    vendorSpawnRate: rate,
    maxConcurrentAgents: agents,
    rescheduleChance: chance,
    cancelChance: chance,
    tickSpeedMs: positive,
    maxAgentSteps: count.min(1),
    vendors: vendorCount,
    initialVendors: vendorCount,
    initialCitizens: agents,
    bookingHorizonHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 365),
    apiCapacityPerMin: positive,
    rateLimitPerMin: positive,
    apiTimeoutMs: positive,
    cacheCeiling: chance,
    cacheRefillMin: positive,
    baseInvalidationRate: chance,
    mvRefreshEveryMin: positive,
    vendorResponseMeanMin: positive,
    vendorMaxPending: count.min(1),
    baseErrorRate: chance,
  })
  .partial();

/** A policy's live value: the scenario's or a live change, else the default. */
export const policy = policyReader(SIMCITY_POLICY_DEFAULTS);
