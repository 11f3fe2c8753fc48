// The pack catalogue over HTTP: what each pack accepts, as JSON Schema, so forms and docs are
// generated from the contract rather than written by hand.
import { Router } from 'express';
import type { PackCatalogue } from '../../runtime/packs/pack-catalogue.js';
import { builtinScenarios } from '../../runtime/scenario/scenario-loader.js';

export function packRoutes(packs: PackCatalogue): Router {
  const r = Router();
  r.get('/api/packs', (_req, res) => {
    const scenarios = builtinScenarios(packs);
    res.json({
      packs: packs.all().map((m) => ({
        name: m.name,
        description: m.description,
        defaultScenario: m.contract.scenarios ? `${m.name}/${m.contract.scenarios.default}` : null,
        page: m.surfaces?.page ?? null,
        scenarios: scenarios
          .filter((s) => s.pack === m.name)
          .map((s) => (m.contract.scenarios?.bareNames ? s.name : s.ref)),
      })),
    });
  });
  r.get('/api/packs/:pack', (req, res) => {
    res.json(packs.describe(req.params.pack));
  });
  return r;
}
