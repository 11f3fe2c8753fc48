// Where a pack's scenario files live in the installed package: scenarios/<pack>/.
import path from 'node:path';
import { PACKAGE_ROOT } from '../runtime/sdk.js';

export function packScenarioDir(pack: string): string {
  return path.join(PACKAGE_ROOT, 'scenarios', pack);
}
