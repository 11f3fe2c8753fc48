// `--event TYPE@AT/DURATION[:{json parameters}]`: a scenario event given on the command line, so a
// simple chaos drill is one command and its reproduce line repeats it. AT and DURATION are sim
// times with units (`2h`, `30m`; AT may be `0`), as `--duration` takes them.
import { TickworkError } from '../runtime/errors.js';
import type { PackCatalogue } from '../runtime/packs/pack-catalogue.js';
import { parseDurationMs } from '../runtime/scenario/duration.js';
import { checkEvent } from '../runtime/scenario/scenario-loader.js';
import type { ScenarioEvent } from '../runtime/scenario/scenario-schema.js';

const EVENT_FLAG = /^([A-Za-z][\w.-]*)@([^/]+)\/([^:]+)(?::(.*))?$/s;

export function parseEventFlag(spec: string, index: number, packs: PackCatalogue, pack: string): ScenarioEvent {
  const field = `--event[${index}]`;
  const bad = (why: string) =>
    new TickworkError(
      'TW_ERR_VALIDATION',
      `${field} '${spec}': ${why} (form: TYPE@AT/DURATION[:{"param":value}], e.g. RATE_LIMIT_BURST@2h/30m)`,
      field,
    );
  const m = EVENT_FLAG.exec(spec);
  if (!m) throw bad('not an event');
  const [, type, at, length, json] = m;
  const atMs = at.trim() === '0' ? 0 : parseDurationMs(at);
  if (atMs === undefined) throw bad(`start '${at}' is not a sim time with a unit`);
  const durationMs = parseDurationMs(length);
  if (durationMs === undefined) throw bad(`duration '${length}' is not a sim time with a unit`);
  let parameters: unknown = {};
  if (json !== undefined) {
    try {
      parameters = JSON.parse(json);
    } catch {
      throw bad('its parameters are not JSON');
    }
    if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters))
      throw bad('its parameters must be a JSON object');
  }
  const checked = checkEvent(packs, pack, type, parameters as Record<string, unknown>, 'TW_ERR_VALIDATION', '--event', [
    index,
  ]);
  return { type, triggerAt: atMs / 60_000, duration: durationMs / 60_000, parameters: checked };
}
