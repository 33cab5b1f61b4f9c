/**
 * The `SetupDecoder` of the daily run: a stored household's tax profile, targets and harvest
 * settings, decoded by the same rules as a case file's (harvestInput.ts), so a household behaves
 * the same from a file and from the book.
 */
import type { HarvestSetup } from '../../app/dailyHarvest.js';
import type { SetupDecoder } from '../../app/dailyRun.js';
import type { StoredHousehold } from '../../app/ports.js';
import type { Result } from '../../core/kernel/errors.js';
import type { Universe } from '../../core/securities/universe.js';
import { decodeHarvestInputs } from './harvestInput.js';

export const setupDecoder: SetupDecoder = {
  decode(stored: StoredHousehold, universe: Universe): Result<HarvestSetup> {
    const document: Record<string, unknown> = {
      ...(stored.documents.taxProfile !== undefined ? { taxProfile: stored.documents.taxProfile } : {}),
      ...(stored.documents.targets !== undefined ? { targets: stored.documents.targets } : {}),
      ...(stored.documents.harvest !== undefined ? { harvest: stored.documents.harvest } : {}),
    };
    const decoded = decodeHarvestInputs({ household: stored.household, events: [], document, files: [`household ${stored.id}`] }, universe);
    if (!decoded.ok) return decoded;
    const v = decoded.value;
    return { ok: true, value: { profile: v.profile.profile, stateDeductible: v.profile.stateDeductible, targets: v.targets, config: v.config } };
  },
};
