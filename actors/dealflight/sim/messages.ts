// What reps and quotes say to each other in the demo.
import type { Quote } from '../domain/cpq/catalogue.js';
import type { Change } from '../domain/simulator/grammar.js';

export type DemoMessage =
  | { op: 'get' }
  | { op: 'quote'; quote: Quote; version: number }
  | { op: 'promote'; version: number; changes: Change[] }
  | { op: 'promoted'; version: number }
  | { op: 'stale'; version: number };
